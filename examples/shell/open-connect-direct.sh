#!/usr/bin/env bash
# Opens the IBM Connect:Direct ports on a new transfer node.
# Partners reach the server port; only the admin VLAN may reach the API.
set -euo pipefail

CD_API_PORT=1363
CD_HOST_PORT=1364
ADMIN_NET=10.40.0.0/24
RETRIES=3

iptables -P INPUT DROP
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -s "$ADMIN_NET" -p tcp --dport "$CD_API_PORT" -j ACCEPT
iptables -A INPUT -p tcp --dport "$CD_HOST_PORT" -j ACCEPT
iptables -A INPUT -p tcp --dport 1365 -j DROP

# Same rules for hosts that run ufw.
ufw allow from 10.40.0.0/24 to any port 1363 proto tcp
ufw allow 1364/tcp

# And for RHEL nodes.
firewall-cmd --permanent --zone=public --add-port=1364/tcp
firewall-cmd --permanent --zone=internal --add-source=10.40.0.0/24
firewall-cmd --permanent --zone=internal --add-port=1363/tcp
firewall-cmd --reload

# Point the API at every interface so the Control Center can reach it.
sed -i "s/^ :tcp.api=.*:/ :tcp.api=0.0.0.0;${CD_API_PORT}:/" /opt/cdunix/ndm/cfg/cd_node/netmap.cfg

for attempt in $(seq 1 "$RETRIES"); do
  if nc -z -w 5 127.0.0.1 1364; then
    echo "Connect:Direct server is up"
    break
  fi
  sleep 10
done
