#!/usr/bin/env bash
# The distributed deployment on one machine: Daphne, an evaluation worker, a sandbox worker, beat, each
# kept running by scripts/supervise.py (a process that dies is restarted; Ctrl-C or SIGTERM stops them all).
# Each process can be scaled out on other machines with the same environment.
set -euo pipefail
: "${DATABASE_URL:?make up needs DATABASE_URL (PostgreSQL)}"
: "${REDIS_URL:?make up needs REDIS_URL (Redis)}"
export VENV=${VENV:-.venv} HOST=${HOST:-127.0.0.1} PORT=${PORT:-8000} DAPHNE_VERBOSITY=${DAPHNE_VERBOSITY:-0}
export CELERY_QUEUE=${CELERY_QUEUE:-celery} EVAL_CONCURRENCY=${EVAL_CONCURRENCY:-2}
export SANDBOX_CONCURRENCY=${SANDBOX_CONCURRENCY:-2}
export CELERY_BEAT_SCHEDULE_FILE=${CELERY_BEAT_SCHEDULE_FILE:-var/celerybeat-schedule}
echo "CloudInterview is up on http://$HOST:$PORT (Ctrl-C stops every process)"
exec "$VENV/bin/python" scripts/supervise.py "${PROCFILE:-scripts/Procfile}"
