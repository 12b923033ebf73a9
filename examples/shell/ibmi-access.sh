#!/bin/sh
# Firewall for the IBM i access gateway: TLS host servers for the office,
# DRDA only for the reporting cluster.
OFFICE=192.168.50.0/24
REPORTING=10.12.8.0/22

ufw default deny incoming
ufw allow from $OFFICE to any port 9470:9476 proto tcp
ufw allow from $OFFICE to any port 449 proto tcp
ufw allow from $REPORTING to any port 448 proto tcp

# Legacy clients still sign on in clear text: to be removed by Q3.
ufw allow 8470:8476/tcp
ufw allow 446/tcp

# DDM over IPsec from the DR site.
iptables -A INPUT -s 203.0.113.40 -p tcp --dport 447 -j ACCEPT
iptables -A INPUT -p tcp -m multiport --dports 23,992 -j REJECT
