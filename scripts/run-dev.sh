#!/usr/bin/env bash
# `make run`: database, demo region, then the web server, the demo's non-hosted sites on loopback, the
# background worker and its scheduler (Celery beat), with a first scan of the region queued. Ctrl-C stops all.
#   run-dev.sh HOST PORT [auto|fixed]   auto: PORT busy → the next free port; fixed: PORT busy → stop.
set -euo pipefail
host="${1:-127.0.0.1}"
port="${2:-8000}"
mode="${3:-auto}"
export DJANGO_SETTINGS_MODULE=govsite.settings.dev
bin=.venv/bin

port_free() {
  "$bin/python" - "$host" "$1" <<'PY'
import socket, sys
with socket.socket() as sock:
    try:
        sock.bind((sys.argv[1], int(sys.argv[2])))
    except OSError:
        sys.exit(1)
PY
}

if ! port_free "$port"; then
  if [ "$mode" = fixed ]; then
    echo "端口 $port 已被占用（$host）。请换一个端口：make run PORT=<端口>" >&2
    exit 1
  fi
  wanted="$port"
  for candidate in $(seq $((port + 1)) $((port + 50))); do
    if port_free "$candidate"; then port="$candidate"; break; fi
  done
  if [ "$port" = "$wanted" ]; then
    echo "端口 $wanted 至 $((wanted + 50)) 均被占用，请用 make run PORT=<端口> 指定空闲端口。" >&2
    exit 1
  fi
  echo "端口 $wanted 已被占用，改用端口 $port。"
fi
export GOVSITE_DEV_PORT="$port"
export WAGTAILADMIN_BASE_URL="${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:$port}"

"$bin/govsite" migrate --noinput
"$bin/govsite" demo

mkdir -p var/celery/queue var/celery/processed var/celery/results var/log
rm -f var/monitor-hosts.json
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# The demo's sites the platform does not host, and the host map that keeps the monitor on this machine.
"$bin/govsite" serve_demo_sites --web "127.0.0.1:$port" --queue-scan &
pids+=($!)
for _ in $(seq 1 100); do [ -f var/monitor-hosts.json ] && break; sleep 0.2; done
"$bin/celery" -A govsite worker --pool=solo --loglevel=INFO --logfile=var/log/worker.log &
pids+=($!)
"$bin/celery" -A govsite beat --loglevel=INFO --logfile=var/log/beat.log --schedule=var/celery/beat-schedule &
pids+=($!)
echo "  后台任务进程和定时调度已启动，日志: var/log/worker.log、var/log/beat.log"
echo ""
echo "  门户网站:   http://$host:$port/"
echo "  管理后台:   http://$host:$port/admin/"
echo "  网站监测:   http://$host:$port/admin/monitoring/"
echo "  接口文档:   http://$host:$port/api/v1/docs"
echo "  其他托管站点: http://<网站标识码>.localhost:$port/"
echo "  演示账号登录: 密码 Demo-2026!，两步验证码用 .venv/bin/govsite demo-totp <账号> 查看"
echo "               （或在身份验证器应用中添加密钥 GOVSITEDEMOTOTPONLYFORLOCALDEMOS）"
echo ""
"$bin/govsite" runserver "$host:$port" &
pids+=($!)
wait "${pids[-1]}"
