#!/bin/bash
# Configures a fresh Connect:Direct for UNIX node and sends a test file.
set -euo pipefail

CDHOME=/opt/cdunix
NODE=cd.payments

sed -i 's/^ :tcp.api=.*$/ :tcp.api=0.0.0.0;1363:\\/' "$CDHOME/ndm/cfg/$NODE/netmap.cfg"
sed -i 's/^ :comm.info=.*$/ :comm.info=0.0.0.0;1364:\\/' "$CDHOME/ndm/cfg/$NODE/initparm.cfg"

$CDHOME/ndm/bin/direct -x <<EOJ
submit smoke process snode=cd.clearhouse.example.com;1364
step1 copy from (file=/tmp/smoke.txt pnode) to (file=/inbound/smoke.txt snode disp=rpl)
pend;
quit;
EOJ
