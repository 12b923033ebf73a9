#!/bin/bash
# Lets the ERP clients reach the IBM i host servers.
set -euo pipefail

open_port() {
  iptables -A INPUT -p tcp --dport "$1" -j ACCEPT
}

open_port 8471
