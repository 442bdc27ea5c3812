#!/usr/bin/env bash
# Start the local services the tests need (Redis; PostgreSQL when DATABASE_URL points at it), if installed
# and not running. Tests themselves fail with a clear message when a service is missing.
set -u
if command -v redis-cli >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null 2>&1; then
    mkdir -p /tmp/govsite-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /tmp/govsite-redis --logfile /tmp/govsite-redis/redis.log >/dev/null
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
fi
case "${DATABASE_URL:-}" in
  postgres*)
    if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1; then
      if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        for version in /etc/postgresql/*; do
          pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start || true
        done
        for _ in $(seq 1 100); do pg_isready -q -h 127.0.0.1 && break; sleep 0.2; done
      fi
    fi
    ;;
esac
exit 0
