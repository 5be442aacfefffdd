#!/usr/bin/env bash
# Browser tests: start the whole product (`evoai up`, with its sandbox WhatsApp gateway) on a
# scratch data directory and free ports, run client/e2e/smoke.mjs, inbox.mjs, crm.mjs, ai.mjs,
# followups.mjs and flows.mjs (`npm run e2e`) in Debian's Chromium against it, then stop what we
# started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$(mktemp -d /tmp/evoai-e2e.XXXXXX)"
# Two distinct free ports (both sockets stay bound until both are read).
read -r PORT SANDBOX_PORT < <("$ROOT/server/.venv/bin/python" -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')
SANDBOX_URL="http://127.0.0.1:$SANDBOX_PORT"
LOG="$DATA/up.log"

# The AI talks to the sandbox's scripted OpenAI-compatible model (client/e2e/ai.mjs), and types at once.
env -u DATABASE_URL -u REDIS_URL EVOAI_DATA_DIR="$DATA" PORT="$PORT" SANDBOX_PORT="$SANDBOX_PORT" NODE_ENV=development \
  OPENAI_BASE_URL="$SANDBOX_URL/v1" OPENAI_API_KEY=sandbox-key AI_TYPING_MS_PER_CHAR=0 \
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
# The sandbox gateway is a child of `evoai up` too; the inbox test drives its pages.
for _ in $(seq 1 150); do
  if curl -fsS "$SANDBOX_URL/sandbox/instances" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -fsS "$SANDBOX_URL/sandbox/instances" >/dev/null || { echo "sandbox not ready at $SANDBOX_URL:"; cat "$LOG"; exit 1; }

cd "$ROOT/client"
STARTED=$SECONDS
OUT="$DATA/e2e.out"
if ! BASE_URL="http://127.0.0.1:$PORT" SANDBOX_PORT="$SANDBOX_PORT" SANDBOX_URL="$SANDBOX_URL" npm run --silent e2e 2>&1 | tee "$OUT"; then
  echo "---- evoai up log (last 80 lines) ----"; tail -n 80 "$LOG"
  # Last, so that a report showing only the end of the output still names the failed step.
  echo "---- browser tests: how they ended ----"; grep -E '→|FAILED' "$OUT" | tail -n 4
  exit 1
fi
echo "e2e: browser tests passed in $((SECONDS - STARTED))s"
