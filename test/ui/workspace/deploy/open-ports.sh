#!/bin/bash
# Opens the ports the payments host needs after a rebuild.
set -euo pipefail

CD_API_PORT=1363

iptables -P INPUT DROP
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A INPUT -i eth0 -s 10.20.0.0/16 -p tcp --dport 443 -j ACCEPT
iptables -A INPUT -s 10.20.0.0/16 -p tcp --dport "$CD_API_PORT" -j ACCEPT

ufw allow from 10.0.0.0/8 to any port 22 proto tcp
ufw deny 23/tcp

docker run -d --name metrics -p 127.0.0.1:9090:9090 prom/prometheus
