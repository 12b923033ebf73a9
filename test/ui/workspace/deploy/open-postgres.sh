#!/bin/bash
# Lets the reporting hosts reach the PostgreSQL replica.
iptables -A INPUT -p tcp --dport 5432 -j ACCEPT
