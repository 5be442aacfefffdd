#!/usr/bin/env bash
# Browser test: start the whole product (`evoai up`) on a scratch data directory and a free port,
# run client/e2e/smoke.mjs in Debian's Chromium against it, then stop what we started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$(mktemp -d /tmp/evoai-e2e.XXXXXX)"
PORT="$("$ROOT/server/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
LOG="$DATA/up.log"

env -u DATABASE_URL -u REDIS_URL EVOAI_DATA_DIR="$DATA" PORT="$PORT" NODE_ENV=development \
  "$ROOT/server/.venv/bin/evoai" up >"$LOG" 2>&1 &
UP_PID=$!
cleanup() {
  kill -TERM "$UP_PID" 2>/dev/null && wait "$UP_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

for _ in $(seq 1 600); do
  if curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$UP_PID" 2>/dev/null; then echo "evoai up exited:"; cat "$LOG"; exit 1; fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null || { echo "not ready:"; cat "$LOG"; exit 1; }

cd "$ROOT/client"
if ! BASE_URL="http://127.0.0.1:$PORT" npm run --silent e2e; then
  echo "---- evoai up log (last 80 lines) ----"; tail -n 80 "$LOG"; exit 1
fi
