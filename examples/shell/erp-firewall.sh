#!/bin/bash
# Opens the ERP host's ports. The ports reach iptables through a function,
# a loop and a command held in a variable: Port Lens follows each of them.
set -euo pipefail

IPT=/sbin/iptables
TRUSTED=10.20.0.0/16

# open_port PORT [SOURCE]: accepts new connections to PORT, from SOURCE if given.
open_port() {
  local port=$1
  local source=${2:-0.0.0.0/0}
  $IPT -A INPUT -s "$source" -p tcp --dport "$port" -j ACCEPT
}

$IPT -P INPUT DROP
$IPT -A INPUT -i lo -j ACCEPT

# IBM i host servers over TLS, for the office network only.
for port in 9470 9471 9476; do
  open_port "$port" "$TRUSTED"
done

# The database server in clear text, to any source: hover 8471 to see what opens it.
open_port 8471

# Connect:Direct, with the API port read from the installer's variables.
CD_API_PORT=1363
open_port "$CD_API_PORT" "$TRUSTED"
