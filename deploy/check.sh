#!/usr/bin/env bash
# Static checks of the deployment files (called by `make test` and CI).
#
#   deploy/check.sh                       # tools from server/.venv/bin
#   EVOAI_VENV_BIN=/path/to/bin deploy/check.sh
#
# Tools (all in the server's `dev` extra): hadolint, actionlint,
# check-jsonschema (its ruamel.yaml is used for the sanity checks),
# kubernetes-validate (Kubernetes JSON schemas bundled, offline).
# Optional: shellcheck (actionlint then also checks `run:` scripts, and this
# script is checked), nginx (`nginx -t` on deploy/nginx.conf; or set
# EVOAI_NGINX_BIN -- not NGINX, which nginx itself reads), promtool (Debian
# package `prometheus`: PromQL of the alert rules and their unit tests).
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
KUBE_VALIDATE="$(tool kubernetes-validate)"
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
# Kubernetes manifests (deploy/k8s), alert rules and dashboard
# (deploy/monitoring). See docs/operations.md, "Kubernetes".
# ---------------------------------------------------------------------------
K8S_ENVS=(staging production)
# Oldest Kubernetes we support and the newest schema set bundled.
K8S_VERSIONS=(1.30.0 1.37.0)
SCHEMAS="$DEPLOY_DIR/schemas"

# kube_validate FILE...: strict schema check of built-in kinds; a kind without
# a bundled schema (a CRD, a typo in apiVersion) is an error, not a warning.
kube_validate() {
    local v out rc=0
    for v in "${K8S_VERSIONS[@]}"; do
        out="$("$KUBE_VALIDATE" -k "$v" --strict --quiet "$@" 2>&1)" || rc=1
        [[ -n "$out" ]] && printf '%s\n' "$out"
        if grep -q "Couldn't find schema" <<<"$out"; then rc=1; fi
    done
    return "$rc"
}

# keda_validate FILE: every document must be a KEDA ScaledObject or
# TriggerAuthentication, and valid against our schema for its kind
# (check-jsonschema reads one document per file, so split first).
keda_validate() {
    local dir rc=0 f
    dir="$(mktemp -d "$WORK/keda.XXXX")"
    "$PYTHON" - "$1" "$dir" <<'PY' || return 1
import json, sys
from pathlib import Path
from ruamel.yaml import YAML

docs = [d for d in YAML(typ="safe", pure=True).load_all(open(sys.argv[1], encoding="utf-8")) if d]
kinds = {"ScaledObject": "so", "TriggerAuthentication": "ta"}
if not docs:
    sys.exit("no documents")
for n, doc in enumerate(docs):
    kind = doc.get("kind")
    if kind not in kinds:
        sys.exit(f"document {n}: kind {kind!r} is not a KEDA kind this check knows")
    Path(sys.argv[2], f"{kinds[kind]}-{n}.json").write_text(json.dumps(doc))
PY
    for f in "$dir"/so-*.json; do
        [[ -e "$f" ]] || continue
        "$CHECK_JSONSCHEMA" --schemafile "$SCHEMAS/keda-scaledobject.schema.json" "$f" || rc=1
    done
    for f in "$dir"/ta-*.json; do
        [[ -e "$f" ]] || continue
        "$CHECK_JSONSCHEMA" --schemafile "$SCHEMAS/keda-triggerauthentication.schema.json" "$f" || rc=1
    done
    return "$rc"
}

# metric_contract FILE...: every evoai_* series in the alert rules / dashboard
# is one of the contract's (docs/operations.md); with --all, each contract
# metric is used at least once.
metric_contract() {
    "$PYTHON" - "$@" <<'PY'
import json, re, sys
from ruamel.yaml import YAML

CONTRACT = {
    "evoai_http_requests_total", "evoai_http_request_duration_seconds_bucket",
    "evoai_queue_waiting", "evoai_queue_dead_lettered_total",
    "evoai_backup_last_success_timestamp_seconds", "evoai_backup_failures_total",
    "evoai_whatsapp_instances", "evoai_dead_letters_total", "evoai_followups_total",
}
args = sys.argv[1:]
need_all = "--all" in args
errors, used = [], set()
for path in (a for a in args if a != "--all"):
    if path.endswith(".json"):
        try:
            doc = json.load(open(path, encoding="utf-8"))
        except ValueError as exc:
            sys.exit(f"{path}: not JSON: {exc}")
        exprs = [t.get("expr", "") for p in doc.get("panels", []) for t in p.get("targets", [])]
        if not exprs:
            errors.append(f"{path}: no panel queries")
    else:
        doc = YAML(typ="safe", pure=True).load(open(path, encoding="utf-8"))
        exprs = [r["expr"] for g in doc["groups"] for r in g["rules"]]
    for expr in exprs:
        names = set(re.findall(r"\bevoai_[a-z0-9_]+", expr))
        if not names:
            errors.append(f"{path}: query uses no contract metric: {expr!r}")
        for name in sorted(names - CONTRACT):
            errors.append(f"{path}: {name} is not in the metric contract")
        used |= names
if need_all:
    for name in sorted(CONTRACT - used):
        errors.append(f"contract metric {name} is never used")
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
PY
}

# k8s_sanity DIR: what the schemas cannot say -- the seed's sizes (9.2) and
# scaling rules (9.9), probes, drain timings, PDBs, the pipeline's names
# (docs/deployment.md) and that every setting the server reads is configured.
k8s_sanity() {
    "$PYTHON" - "$1" "$ROOT" <<'PY'
import re, sys
from pathlib import Path
from ruamel.yaml import YAML

out, root = Path(sys.argv[1]), Path(sys.argv[2])
yaml = YAML(typ="safe", pure=True)
objs = []
for f in sorted(out.rglob("*.yaml")):
    objs += [d for d in yaml.load_all(f.read_text(encoding="utf-8")) if d]
by = {}
for o in objs:
    by.setdefault(o["kind"], {})[o["metadata"]["name"]] = o
errors = []
err = errors.append
QUEUES = ["message-worker", "followup-worker", "embedding-worker", "flow-worker"]

def deploy(name):
    d = by.get("Deployment", {}).get(name)
    if d is None:
        err(f"Deployment {name}: missing")
    return d

def app(d):
    cs = d["spec"]["template"]["spec"]["containers"]
    if [c["name"] for c in cs] != ["app"]:
        err(f"{d['metadata']['name']}: must have exactly one container named app")
    return cs[0]

def env_value(c, name):
    return next((int(e["value"]) for e in c.get("env", []) if e["name"] == name), None)

def check_resources(c, cpu, mem, who):
    r = c.get("resources", {})
    for part in ("requests", "limits"):
        got = r.get(part, {})
        if str(got.get("cpu")) != cpu or got.get("memory") != mem:
            err(f"{who}: resources.{part} {got}, the seed (9.2) says cpu {cpu}, memory {mem}")

def pdb_for(d):
    pod = d["spec"]["template"]["metadata"]["labels"]
    for p in by.get("PodDisruptionBudget", {}).values():
        sel = p["spec"]["selector"]["matchLabels"]
        if all(pod.get(k) == v for k, v in sel.items()):
            return p
    err(f"{d['metadata']['name']}: no PodDisruptionBudget selects its pods")

# API
d = deploy("evoai-api")
if d:
    c = app(d)
    if c.get("command") != ["evoai", "api"]:
        err(f"evoai-api: command {c.get('command')}")
    if not any(p.get("containerPort") == 3000 for p in c.get("ports", [])):
        err("evoai-api: no containerPort 3000")
    if (c.get("readinessProbe") or {}).get("httpGet", {}).get("path") != "/health/ready":
        err("evoai-api: readinessProbe must GET /health/ready")
    if (c.get("livenessProbe") or {}).get("httpGet", {}).get("path") != "/health/live":
        err("evoai-api: livenessProbe must GET /health/live")
    check_resources(c, "2", "2Gi", "evoai-api")
    pre = (c.get("lifecycle") or {}).get("preStop", {}).get("exec", {}).get("command", [])
    if len(pre) != 2 or pre[0] != "sleep" or not pre[1].isdigit() or int(pre[1]) < 3:
        err(f"evoai-api: preStop must sleep a few seconds, got {pre}")
    drain = env_value(c, "SHUTDOWN_GRACE_SECONDS")
    serve = env_value(c, "SHUTDOWN_DRAIN_SECONDS") or 0
    grace = d["spec"]["template"]["spec"].get("terminationGracePeriodSeconds", 30)
    if drain is None:
        err("evoai-api: SHUTDOWN_GRACE_SECONDS not set on the container")
    elif len(pre) == 2 and pre[1].isdigit() and grace <= int(pre[1]) + serve + drain:
        err(f"evoai-api: terminationGracePeriodSeconds {grace} must exceed preStop {pre[1]} s"
            f" + SHUTDOWN_DRAIN_SECONDS {serve} s + SHUTDOWN_GRACE_SECONDS {drain} s")
    if "replicas" in d["spec"]:
        err("evoai-api: leave replicas to the HPA")
    pdb_for(d)
hpa = by.get("HorizontalPodAutoscaler", {}).get("evoai-api")
if not hpa:
    err("HorizontalPodAutoscaler evoai-api: missing")
else:
    s = hpa["spec"]
    if hpa["apiVersion"] != "autoscaling/v2" or s["scaleTargetRef"]["name"] != "evoai-api":
        err("HPA evoai-api: must be autoscaling/v2 targeting evoai-api")
    cpu = [m["resource"]["target"].get("averageUtilization") for m in s.get("metrics", [])
           if m["type"] == "Resource" and m["resource"]["name"] == "cpu"]
    if cpu != [70]:
        err(f"HPA evoai-api: averageUtilization {cpu}, the seed (9.9) says cpu 70 %")
    if s.get("minReplicas") != 1 or not 1 <= s.get("maxReplicas", 0) <= 4:
        err(f"HPA evoai-api: replicas {s.get('minReplicas')}..{s.get('maxReplicas')}, expected 1..(at most 4)")
    if out.name == "production" and s.get("maxReplicas") != 4:
        err("HPA evoai-api: production maxReplicas must be 4 (seed 9.9)")

# Workers and their ScaledObjects
auths = by.get("TriggerAuthentication", {})
secrets = by.get("Secret", {})
for q in QUEUES:
    name = "evoai-worker-" + q.removesuffix("-worker")
    d = deploy(name)
    if not d:
        continue
    c = app(d)
    if c.get("command") != ["evoai", "worker", "--queue", q]:
        err(f"{name}: command {c.get('command')}")
    check_resources(c, "1", "1Gi", name)
    if not c.get("livenessProbe") and not d["metadata"].get("annotations", {}).get("evoai/no-liveness-probe"):
        err(f"{name}: no livenessProbe and no evoai/no-liveness-probe annotation saying why")
    drain = env_value(c, "SHUTDOWN_GRACE_SECONDS")
    grace = d["spec"]["template"]["spec"].get("terminationGracePeriodSeconds", 30)
    if drain is None or drain < 60:
        err(f"{name}: SHUTDOWN_GRACE_SECONDS {drain}, workers drain for 60 s")
    elif grace < drain + 10:
        err(f"{name}: terminationGracePeriodSeconds {grace} must cover the drain {drain} s + 10 s cancel wait")
    if "replicas" in d["spec"]:
        err(f"{name}: leave replicas to KEDA")
    pdb_for(d)
    so = by.get("ScaledObject", {}).get(name)
    if not so:
        err(f"ScaledObject {name}: missing")
        continue
    s = so["spec"]
    if s["scaleTargetRef"]["name"] != name:
        err(f"ScaledObject {name}: targets {s['scaleTargetRef']['name']}")
    if s.get("minReplicaCount") != 1 or not 1 <= s.get("maxReplicaCount", 0) <= 8:
        err(f"ScaledObject {name}: replicas {s.get('minReplicaCount')}..{s.get('maxReplicaCount')}, expected 1..(at most 8)")
    if out.name == "production" and s.get("maxReplicaCount") != 8:
        err(f"ScaledObject {name}: production maxReplicaCount must be 8 (seed 9.9)")
    trig = [t for t in s["triggers"] if t["type"] == "redis"]
    if len(trig) != 1:
        err(f"ScaledObject {name}: needs one redis trigger")
        continue
    md = trig[0]["metadata"]
    if md.get("listName") != f"bull:{q}:wait":
        err(f"ScaledObject {name}: listName {md.get('listName')!r}, BullMQ's wait list is bull:{q}:wait")
    if md.get("listLength") != "1000":
        err(f"ScaledObject {name}: listLength {md.get('listLength')!r}, the seed (9.9) says 1000")
    ref = (trig[0].get("authenticationRef") or {}).get("name")
    ta = auths.get(ref)
    if not ta:
        err(f"ScaledObject {name}: authenticationRef {ref!r} is not a TriggerAuthentication here")
    else:
        for t in ta["spec"].get("secretTargetRef", []):
            if t["key"] not in (secrets.get(t["name"], {}).get("stringData") or {}):
                err(f"TriggerAuthentication {ref}: Secret {t['name']} has no key {t['key']}")

# Scheduler and migration
d = deploy("evoai-scheduler")
if d:
    c = app(d)
    if c.get("command") != ["evoai", "scheduler"]:
        err(f"evoai-scheduler: command {c.get('command')}")
    if d["spec"].get("replicas") != 1 or d["spec"].get("strategy", {}).get("type") != "Recreate":
        err("evoai-scheduler: exactly 1 replica with strategy Recreate")
job = by.get("Job", {}).get("evoai-migrate")
if not job or job["spec"]["template"]["spec"]["containers"][0].get("command") != ["evoai", "migrate", "up"]:
    err("Job evoai-migrate: missing, or its command is not evoai migrate up")
deploy("evoai-web")

# Configuration: every setting the server reads (evoai/config.py) and every
# name of .env.example, except the client's build-time VITE_* ones.
wanted = set(re.findall(r"^    ([A-Z][A-Z0-9_]+): ", (root / "server/evoai/config.py").read_text(), re.M))
wanted |= set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (root / ".env.example").read_text(), re.M))
wanted = {n for n in wanted if not n.startswith("VITE_")}
cm = (by.get("ConfigMap", {}).get("evoai-config") or {}).get("data") or {}
sec_obj = secrets.get("evoai-secrets") or {}
sec = sec_obj.get("stringData") or {}
for n in sorted(wanted - set(cm) - set(sec)):
    err(f"setting {n}: in neither ConfigMap evoai-config nor Secret evoai-secrets")
for n in sorted(set(cm) & set(sec)):
    err(f"setting {n}: in both the ConfigMap and the Secret")
secretish = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$|^DATABASE_URL$|^REDIS_URL$|^EVOAI_MIGRATION_URL$")
for n in sorted(cm):
    if secretish.search(n):
        err(f"setting {n}: a secret, keep it in the Secret, not the ConfigMap")
for s in secrets.values():
    if "evoai/template" not in s["metadata"].get("annotations", {}):
        err(f"Secret {s['metadata']['name']}: not marked as a template")
    for k, v in (s.get("stringData") or {}).items():
        if "REPLACE_ME" not in v:
            err(f"Secret {s['metadata']['name']}: {k} does not look like a placeholder")
    if s.get("data"):
        err(f"Secret {s['metadata']['name']}: use stringData placeholders, not data")
for kind in ("Deployment", "Job"):
    for o in by.get(kind, {}).values():
        for c in o["spec"]["template"]["spec"]["containers"]:
            for ref in c.get("envFrom", []):
                target = ref.get("configMapRef", ref.get("secretRef", {})).get("name")
                pool = by.get("ConfigMap", {}) if "configMapRef" in ref else secrets
                if target not in pool:
                    err(f"{o['metadata']['name']}: envFrom {target} does not exist")
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
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

check "k8s manifests up to date (deploy/k8s/render.py --check)" "$PYTHON" deploy/k8s/render.py --check
for env in "${K8S_ENVS[@]}"; do
    core=()
    while IFS= read -r f; do core+=("$f"); done \
        < <(find "deploy/k8s/$env" -name '*.yaml' ! -name '41-keda.yaml' | sort)
    check "kubernetes-validate --strict (${K8S_VERSIONS[*]}) deploy/k8s/$env (${#core[@]} files)" kube_validate "${core[@]}"
    check "KEDA schema deploy/k8s/$env/41-keda.yaml" keda_validate "deploy/k8s/$env/41-keda.yaml"
    check "k8s sanity (seed 9.2/9.9, probes, drain, PDBs, settings) deploy/k8s/$env" k8s_sanity "deploy/k8s/$env"
done
check "check-jsonschema prometheus-rules deploy/monitoring/alerts.yaml" \
    "$CHECK_JSONSCHEMA" --schemafile "$SCHEMAS/prometheus-rules.schema.json" deploy/monitoring/alerts.yaml
check "metric contract deploy/monitoring/{alerts.yaml,grafana-dashboard.json}" \
    metric_contract --all deploy/monitoring/alerts.yaml deploy/monitoring/grafana-dashboard.json
PROMTOOL="$(command -v promtool || true)"
if [[ -n "$PROMTOOL" ]]; then
    check "promtool check rules deploy/monitoring/alerts.yaml" "$PROMTOOL" check rules deploy/monitoring/alerts.yaml
    check "promtool test rules deploy/monitoring/alerts.test.yaml" "$PROMTOOL" test rules deploy/monitoring/alerts.test.yaml
else
    skip "promtool check/test rules (promtool not installed: apt-get install prometheus)"
fi

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

reject "kubernetes-validate rejects tests/k8s-probe-typo.yaml (unknown field)" 'livenesProbe' \
    kube_validate "$TESTS/k8s-probe-typo.yaml"
reject "kubernetes-validate rejects tests/k8s-unknown-kind.yaml (no schema)" "Couldn't find schema" \
    kube_validate "$TESTS/k8s-unknown-kind.yaml"
reject "KEDA schema rejects tests/keda-listlength-number.yaml" "1000 is not of type 'string'" \
    keda_validate "$TESTS/keda-listlength-number.yaml"
reject "KEDA schema rejects tests/keda-auth-no-key.yaml" "'key' is a required property" \
    keda_validate "$TESTS/keda-auth-no-key.yaml"
reject "check-jsonschema rejects tests/bad-alerts-duration.yaml" "does not match" \
    "$CHECK_JSONSCHEMA" --schemafile "$SCHEMAS/prometheus-rules.schema.json" "$TESTS/bad-alerts-duration.yaml"
reject "metric contract rejects tests/grafana-unknown-metric.json" 'evoai_http_requests_count is not in the metric contract' \
    metric_contract "$TESTS/grafana-unknown-metric.json"
if [[ -n "$PROMTOOL" ]]; then
    reject "promtool rejects tests/bad-alerts-promql.yaml" 'parse error|could not parse' \
        "$PROMTOOL" check rules "$TESTS/bad-alerts-promql.yaml"
else
    skip "promtool rejects tests/bad-alerts-promql.yaml (promtool not installed)"
fi
# The sanity check on renders with one planted change each (values overrides).
for planted in hpa-cpu-80:averageUtilization worker-listlength-500:listLength api-no-drain-margin:terminationGracePeriodSeconds; do
    case_name="${planted%%:*}"
    mkdir -p "$WORK/$case_name"
    if "$PYTHON" deploy/k8s/render.py --env production --values "$TESTS/k8s-values-$case_name.yaml" \
        --out "$WORK/$case_name/production" >"$LOG" 2>&1; then
        reject "k8s sanity rejects a render with tests/k8s-values-$case_name.yaml" "${planted#*:}" \
            k8s_sanity "$WORK/$case_name/production"
    else
        fail "render with tests/k8s-values-$case_name.yaml"
    fi
done

if ((failures > 0)); then
    echo "deploy/check.sh: $failures check(s) failed"
    exit 1
fi
echo "deploy/check.sh: all checks passed"
