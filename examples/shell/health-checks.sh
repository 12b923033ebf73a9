#!/bin/bash
# Nightly health checks for the payments platform.
set -u

API_URL="https://payments.example.com:8443/health"
DB_HOST=db01.internal
LOG_LINES=448

curl -fsS --max-time 10 --retry 3 "$API_URL" >/dev/null || echo "API down"
wget -q -O /dev/null http://metrics.internal:9100/metrics || echo "node_exporter down"
redis-cli -h cache.internal -p 6379 ping
psql -h "$DB_HOST" -p 5432 -U monitor -c 'select 1' payments
mysql -h legacy-db.internal -P 3306 -u monitor -e 'select 1'
timeout 3 bash -c "</dev/tcp/mq.internal/5672" && echo "AMQP reachable"
nc -zv -w 3 ldap.internal 389 636
openssl s_client -connect ldap.internal:636 </dev/null 2>/dev/null | head -n 5

# Keep the last lines of the log; these numbers are not ports.
tail -n "$LOG_LINES" /var/log/payments.log > /tmp/payments-tail.log
ulimit -n 65535
sleep 447
chmod 0750 /tmp/payments-tail.log
exit 0
