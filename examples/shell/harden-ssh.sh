#!/bin/bash
# Moves sshd to a non-default port and limits who may reach it.
set -euo pipefail
SSH_PORT=2222

cat > /etc/ssh/sshd_config.d/10-hardening.conf <<'EOF_SSHD'
Port 2222
ListenAddress 0.0.0.0
PermitRootLogin no
PasswordAuthentication no
MaxAuthTries 3
EOF_SSHD

sed -i 's/^#\?Port .*/Port 2222/' /etc/ssh/sshd_config
systemctl restart ssh

ufw limit "$SSH_PORT"/tcp
ufw deny 22/tcp
ufw deny 23

# Check that the new port answers before closing the old session.
ssh -p 2222 -o ConnectTimeout=5 admin@localhost true
scp -P 2222 -p /etc/motd admin@localhost:/tmp/motd.check
