#!/usr/bin/env bash
# The distributed deployment on one machine, on one public port (HOST:PORT): nginx in front serves static
# files, sends WebSocket upgrades under /v1/interviews/ to Daphne and everything else to gunicorn (the WSGI
# app, several worker processes); behind them an evaluation worker, a sandbox worker and beat. Each process
# is kept running by scripts/supervise.py (one that dies is restarted; Ctrl-C or SIGTERM stops them all).
# docs/deployment.md says how each part scales out on other machines.
set -euo pipefail
: "${DATABASE_URL:?make up needs DATABASE_URL (PostgreSQL)}"
: "${REDIS_URL:?make up needs REDIS_URL (Redis)}"
export VENV=${VENV:-.venv} HOST=${HOST:-127.0.0.1} PORT=${PORT:-8000} DAPHNE_VERBOSITY=${DAPHNE_VERBOSITY:-0}
export GUNICORN_BIND=${GUNICORN_BIND:-127.0.0.1:$((PORT + 1))}
export DAPHNE_HOST=${DAPHNE_HOST:-127.0.0.1} DAPHNE_PORT=${DAPHNE_PORT:-$((PORT + 2))}
export DAPHNE_BIND=$DAPHNE_HOST:$DAPHNE_PORT
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-$(($(nproc) * 2 + 1))} WEB_THREADS=${WEB_THREADS:-4} WEB_WORKER_CLASS=${WEB_WORKER_CLASS:-gthread}
export NGINX_BIN=${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)} NGINX_WORKERS=${NGINX_WORKERS:-auto}
export NGINX_DIR=${NGINX_DIR:-$PWD/var/nginx} NGINX_MIME_TYPES=${NGINX_MIME_TYPES:-/etc/nginx/mime.types}
export STATIC_ROOT=${STATIC_ROOT:-$PWD/staticfiles}
# The app believes X-Forwarded-For only from these addresses: the proxy above, on this machine.
export TRUSTED_PROXIES=${TRUSTED_PROXIES:-127.0.0.1/32,::1/128}
export CELERY_QUEUE=${CELERY_QUEUE:-celery} EVAL_CONCURRENCY=${EVAL_CONCURRENCY:-2}
export SANDBOX_CONCURRENCY=${SANDBOX_CONCURRENCY:-2}
export CELERY_BEAT_SCHEDULE_FILE=${CELERY_BEAT_SCHEDULE_FILE:-var/celerybeat-schedule}

mkdir -p "$NGINX_DIR/tmp"
chmod 1777 "$NGINX_DIR/tmp"  # nginx started by root hands its workers to an unprivileged user
"$VENV/bin/python" scripts/render.py deploy/nginx.conf.template "$NGINX_DIR/nginx.conf"
"$NGINX_BIN" -t -q -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e stderr
echo "CloudInterview is up on http://$HOST:$PORT (Ctrl-C stops every process)"
exec "$VENV/bin/python" scripts/supervise.py "${PROCFILE:-scripts/Procfile}"
