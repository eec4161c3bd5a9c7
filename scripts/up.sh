#!/usr/bin/env bash
# The distributed deployment on one machine: Daphne, an evaluation worker, a sandbox worker, beat.
# Each process can be scaled out on other machines with the same environment.
set -euo pipefail
: "${DATABASE_URL:?make up needs DATABASE_URL (PostgreSQL)}"
: "${REDIS_URL:?make up needs REDIS_URL (Redis)}"
VENV=${VENV:-.venv}
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
"$VENV/bin/daphne" -b "${HOST:-127.0.0.1}" -p "${PORT:-8000}" -v "${DAPHNE_VERBOSITY:-0}" cloudinterview.asgi:application &
pids+=($!)
"$VENV/bin/celery" -A cloudinterview worker -Q "${CELERY_QUEUE:-celery}" -n "evaluations@%h" --concurrency "${EVAL_CONCURRENCY:-2}" -l INFO &
pids+=($!)
"$VENV/bin/celery" -A sandbox.celery_app worker -Q sandbox -n "sandbox@%h" --concurrency "${SANDBOX_CONCURRENCY:-2}" \
  --prefetch-multiplier 1 -l INFO &
pids+=($!)
"$VENV/bin/celery" -A cloudinterview beat -l INFO --schedule "${CELERY_BEAT_SCHEDULE_FILE:-var/celerybeat-schedule}" &
pids+=($!)
echo "CloudInterview is up on http://${HOST:-127.0.0.1}:${PORT:-8000} (Ctrl-C stops every process)"
wait -n
