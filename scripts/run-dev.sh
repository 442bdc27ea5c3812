#!/usr/bin/env bash
# Start the background worker and the web server together; Ctrl-C stops both.
set -euo pipefail
host="${1:-127.0.0.1}"
port="${2:-8000}"
export DJANGO_SETTINGS_MODULE=govsite.settings.dev
bin=.venv/bin
mkdir -p var/celery/queue var/celery/processed var/celery/results var/log
"$bin/celery" -A govsite worker --pool=solo --loglevel=INFO --logfile=var/log/worker.log &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
echo "  后台任务进程已启动 (pid $worker)，日志: var/log/worker.log"
"$bin/govsite" runserver "$host:$port"
