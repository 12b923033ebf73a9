#!/bin/bash
# Opens MySQL for the reporting hosts.
iptables -A INPUT -p tcp --dport 3306 -j ACCEPT
