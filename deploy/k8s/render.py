#!/usr/bin/env python3
"""Render the Kubernetes manifests of one environment from values files.

    deploy/k8s/render.py                    # rewrite deploy/k8s/staging/ and deploy/k8s/production/
    deploy/k8s/render.py --check            # exit 1 if a committed file differs from a fresh render
    deploy/k8s/render.py --env production --image-tag 1a2b3c --out /tmp/prod   # ad hoc, e.g. a pinned tag
    deploy/k8s/render.py --env production --values extra.yaml --out /tmp/x      # one more values file on top

Why a script and not kustomize/Helm: neither renders offline on every machine
this project runs on (kubectl's bundled kustomize is not on all of them and no
PyPI/npm package provides it), and the rendered, committed files can be read,
diffed and schema-checked as they are. `kubectl apply -f` takes them as they are.

values/base.yaml holds everything shared; values/<env>.yaml is deep-merged over
it (mappings merge, everything else replaces). Needs ruamel.yaml (in the
server's dev extra, through check-jsonschema).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
ENVIRONMENTS = ("staging", "production")
SERVER_UID = 1001  # deploy/server.Dockerfile: USER 1001:1001
WEB_UID = 101  # deploy/client.Dockerfile: USER 101:101 (nginx-unprivileged)
CONFIG = "evoai-config"
SECRET = "evoai-secrets"
PGB_CONFIG = "evoai-pgbouncer"
PGB_AUTH = "evoai-pgbouncer-auth"
REDIS_AUTH = "evoai-redis"
NO_LIVENESS = "evoai/no-liveness-probe"

Obj = dict[str, Any]


def deep_merge(base: Obj, over: Obj) -> Obj:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def load_values(env: str, extra: Path | None = None) -> Obj:
    yaml = YAML(typ="safe", pure=True)
    base = yaml.load((HERE / "values" / "base.yaml").read_text(encoding="utf-8"))
    over = yaml.load((HERE / "values" / f"{env}.yaml").read_text(encoding="utf-8")) or {}
    values = deep_merge(base, over)
    if extra:
        values = deep_merge(values, yaml.load(extra.read_text(encoding="utf-8")) or {})
    values["env"] = env
    return values


# --------------------------------------------------------------------------- helpers


def labels(component: str) -> Obj:
    return {"app.kubernetes.io/name": "evoai", "app.kubernetes.io/component": component}


def meta(v: Obj, name: str, component: str, **extra: Any) -> Obj:
    m: Obj = {
        "name": name,
        "namespace": v["namespace"],
        "labels": {**labels(component), "app.kubernetes.io/part-of": "evoai", "evoai/environment": v["env"]},
    }
    m.update(extra)
    return m


def resources(spec: Obj) -> Obj:
    # Requests equal limits: the seed sizes each service (9.2) and a guaranteed
    # pod is not the first one evicted under node pressure.
    return {"requests": dict(spec), "limits": dict(spec)}


def server_image(v: Obj) -> str:
    return f"{v['image']['server']}:{v['image']['tag']}"


def container_security() -> Obj:
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }


def pod_security(uid: int) -> Obj:
    return {
        "runAsNonRoot": True,
        "runAsUser": uid,
        "runAsGroup": uid,
        "fsGroup": uid,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def server_env_from() -> list[Obj]:
    return [{"configMapRef": {"name": CONFIG}}, {"secretRef": {"name": SECRET}}]


def server_volumes() -> tuple[list[Obj], list[Obj]]:
    # Read-only root file system: scratch space and EVOAI_DATA_DIR are emptyDirs
    # (production storage is S3; nothing here has to outlive the pod).
    vols = [{"name": "tmp", "emptyDir": {}}, {"name": "data", "emptyDir": {}}]
    mounts = [{"name": "tmp", "mountPath": "/tmp"}, {"name": "data", "mountPath": "/var/lib/evoai"}]
    return vols, mounts


def spread(component: str) -> list[Obj]:
    return [
        {
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": labels(component)},
        }
    ]


def pdb(v: Obj, name: str, component: str, **rule: Any) -> Obj:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": meta(v, name, component),
        "spec": {**rule, "selector": {"matchLabels": labels(component)}},
    }


def service(v: Obj, name: str, component: str, port: int, target: str) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta(v, name, component),
        "spec": {
            "selector": labels(component),
            "ports": [{"name": target, "port": port, "targetPort": target, "protocol": "TCP"}],
        },
    }


# --------------------------------------------------------------------------- objects


def namespace(v: Obj) -> list[Obj]:
    return [
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "name": v["namespace"],
                "labels": {
                    "evoai/environment": v["env"],
                    # Every pod here satisfies the restricted Pod Security Standard.
                    "pod-security.kubernetes.io/enforce": "restricted",
                },
            },
        }
    ]


def config(v: Obj) -> list[Obj]:
    p, pg = v["pgbouncer"], v["postgres"]
    ini = "\n".join(
        [
            "[databases]",
            f"{pg['database']} = host={pg['host']} port={pg['port']} dbname={pg['database']}",
            "",
            "[pgbouncer]",
            "listen_addr = 0.0.0.0",
            f"listen_port = {p['port']}",
            "unix_socket_dir =",
            "auth_type = scram-sha-256",
            "auth_file = /etc/pgbouncer/userlist.txt",
            f"pool_mode = {p['poolMode']}",
            f"max_client_conn = {p['maxClientConn']}",
            f"default_pool_size = {p['defaultPoolSize']}",
            f"min_pool_size = {p['minPoolSize']}",
            f"reserve_pool_size = {p['reservePoolSize']}",
            f"reserve_pool_timeout = {p['reservePoolTimeout']}",
            f"max_db_connections = {p['maxDbConnections']}",
            f"max_prepared_statements = {p['maxPreparedStatements']}",
            f"query_wait_timeout = {p['queryWaitTimeout']}",
            f"server_idle_timeout = {p['serverIdleTimeout']}",
            f"server_tls_sslmode = {p['serverTlsSslmode']}",
            # asyncpg sends these as startup parameters (evoai/db.py); PgBouncer
            # refuses unknown ones. Set them on the role instead (see docs).
            "ignore_startup_parameters = extra_float_digits,jit,random_page_cost",
            "server_reset_query = DISCARD ALL",
            "log_connections = 0",
            "log_disconnections = 0",
            "stats_period = 60",
            "",
        ]
    )
    return [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": meta(v, CONFIG, "config"),
            "data": {k: str(val) for k, val in v["config"].items()},
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": meta(v, PGB_CONFIG, "pgbouncer"),
            "data": {"pgbouncer.ini": ini},
        },
    ]


def secrets(v: Obj) -> list[Obj]:
    app = v["postgres"]["appUser"]
    return [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": meta(
                v,
                SECRET,
                "config",
                annotations={"evoai/template": "placeholders only: fill in real values before applying"},
            ),
            "type": "Opaque",
            "stringData": {k: str(val) for k, val in v["secretKeys"].items()},
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": meta(
                v,
                PGB_AUTH,
                "pgbouncer",
                annotations={"evoai/template": "placeholders only: fill in real values before applying"},
            ),
            "type": "Opaque",
            # One line per role: "name" "SCRAM-SHA-256$…" (copy rolpassword from pg_authid).
            "stringData": {"userlist.txt": f'"{app}" "SCRAM-SHA-256$REPLACE_ME"\n'},
        },
    ]


def pgbouncer(v: Obj) -> list[Obj]:
    p = v["pgbouncer"]
    component = "pgbouncer"
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta(v, "evoai-pgbouncer", component),
        "spec": {
            "replicas": p["replicas"],
            "selector": {"matchLabels": labels(component)},
            "template": {
                "metadata": {"labels": labels(component)},
                "spec": {
                    "securityContext": pod_security(p["runAsUser"]),
                    "terminationGracePeriodSeconds": 40,
                    "topologySpreadConstraints": spread(component),
                    "containers": [
                        {
                            "name": "pgbouncer",
                            "image": p["image"],
                            "ports": [{"name": "pgbouncer", "containerPort": p["port"], "protocol": "TCP"}],
                            "resources": resources(p["resources"]),
                            "securityContext": container_security(),
                            "readinessProbe": {"tcpSocket": {"port": "pgbouncer"}, "periodSeconds": 5},
                            "livenessProbe": {"tcpSocket": {"port": "pgbouncer"}, "periodSeconds": 10},
                            # Stop accepting new clients while running transactions
                            # finish (PgBouncer's SIGINT is a safe shutdown).
                            "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "sleep 5; kill -INT 1"]}}},
                            "volumeMounts": [
                                {
                                    "name": "config",
                                    "mountPath": "/etc/pgbouncer/pgbouncer.ini",
                                    "subPath": "pgbouncer.ini",
                                    "readOnly": True,
                                },
                                {
                                    "name": "auth",
                                    "mountPath": "/etc/pgbouncer/userlist.txt",
                                    "subPath": "userlist.txt",
                                    "readOnly": True,
                                },
                                {"name": "tmp", "mountPath": "/tmp"},
                            ],
                        }
                    ],
                    "volumes": [
                        {"name": "config", "configMap": {"name": PGB_CONFIG}},
                        {"name": "auth", "secret": {"secretName": PGB_AUTH}},
                        {"name": "tmp", "emptyDir": {}},
                    ],
                },
            },
        },
    }
    return [
        deployment,
        service(v, "evoai-pgbouncer", component, p["port"], "pgbouncer"),
        pdb(v, "evoai-pgbouncer", component, maxUnavailable=1),
    ]


def api(v: Obj) -> list[Obj]:
    a = v["api"]
    component = "api"
    vols, mounts = server_volumes()
    grace = a["preStopSleepSeconds"] + a["serveAfterSigtermSeconds"] + a["drainSeconds"] + a["shutdownMarginSeconds"]
    container = {
        "name": "app",
        "image": server_image(v),
        "command": ["evoai", "api"],
        "ports": [{"name": "http", "containerPort": 3000, "protocol": "TCP"}],
        "envFrom": server_env_from(),
        "env": [
            {"name": "SHUTDOWN_GRACE_SECONDS", "value": str(a["drainSeconds"])},
            {"name": "SHUTDOWN_DRAIN_SECONDS", "value": str(a["serveAfterSigtermSeconds"])},
        ],
        "resources": resources(a["resources"]),
        "securityContext": container_security(),
        "startupProbe": {
            "httpGet": {"path": "/health/live", "port": "http"},
            "periodSeconds": 2,
            "failureThreshold": 30,
        },
        "readinessProbe": {
            # SELECT 1 and Redis PING, 2 s timeout each; 503 from SIGTERM on.
            "httpGet": {"path": "/health/ready", "port": "http"},
            "periodSeconds": 5,
            "timeoutSeconds": 5,
            "failureThreshold": 2,
        },
        "livenessProbe": {
            "httpGet": {"path": "/health/live", "port": "http"},
            "periodSeconds": 10,
            "timeoutSeconds": 3,
            "failureThreshold": 3,
        },
        "lifecycle": {"preStop": {"exec": {"command": ["sleep", str(a["preStopSleepSeconds"])]}}},
        "volumeMounts": mounts,
    }
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta(v, "evoai-api", component),
        "spec": {
            # No `replicas`: the HPA owns it (an apply would otherwise reset it).
            "selector": {"matchLabels": labels(component)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": {
                "metadata": {
                    "labels": labels(component),
                    "annotations": {
                        "prometheus.io/scrape": "true",
                        "prometheus.io/port": "3000",
                        "prometheus.io/path": "/metrics",
                    },
                },
                "spec": {
                    "securityContext": pod_security(SERVER_UID),
                    "imagePullSecrets": [{"name": v["image"]["pullSecret"]}],
                    "terminationGracePeriodSeconds": grace,
                    "topologySpreadConstraints": spread(component),
                    "containers": [container],
                    "volumes": vols,
                },
            },
        },
    }
    hpa = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": meta(v, "evoai-api", component),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "evoai-api"},
            "minReplicas": a["minReplicas"],
            "maxReplicas": a["maxReplicas"],
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": a["cpuTargetPercent"]},
                    },
                }
            ],
            "behavior": {
                # seed 9.9: CPU above 70 % for 5 minutes -> one more instance.
                "scaleUp": {
                    "stabilizationWindowSeconds": a["scaleUpWindowSeconds"],
                    "selectPolicy": "Max",
                    "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}],
                },
                "scaleDown": {
                    "stabilizationWindowSeconds": 300,
                    "policies": [{"type": "Pods", "value": 1, "periodSeconds": 120}],
                },
            },
        },
    }
    return [
        deployment,
        service(v, "evoai-api", component, 3000, "http"),
        hpa,
        # maxUnavailable, not minAvailable: with one replica minAvailable: 1
        # would block every node drain forever.
        pdb(v, "evoai-api", component, maxUnavailable=1),
    ]


def web(v: Obj) -> list[Obj]:
    w = v["web"]
    component = "web"
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta(v, "evoai-web", component),
        "spec": {
            "replicas": w["replicas"],
            "selector": {"matchLabels": labels(component)},
            "template": {
                "metadata": {"labels": labels(component)},
                "spec": {
                    "securityContext": pod_security(WEB_UID),
                    "imagePullSecrets": [{"name": v["image"]["pullSecret"]}],
                    "terminationGracePeriodSeconds": 20,
                    "containers": [
                        {
                            "name": "app",
                            "image": f"{v['image']['web']}:{v['image']['tag']}",
                            "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                            "resources": resources(w["resources"]),
                            "securityContext": container_security(),
                            "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 5},
                            "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10},
                            "lifecycle": {"preStop": {"exec": {"command": ["sleep", "5"]}}},
                            "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
                        }
                    ],
                    "volumes": [{"name": "tmp", "emptyDir": {}}],
                },
            },
        },
    }
    return [
        deployment,
        service(v, "evoai-web", component, 8080, "http"),
        pdb(v, "evoai-web", component, maxUnavailable=1),
    ]


def queue_component(queue: str) -> str:
    return "worker-" + queue.removesuffix("-worker")  # message-worker -> worker-message


def workers(v: Obj) -> list[Obj]:
    w = v["workers"]
    out: list[Obj] = []
    grace = w["drainSeconds"] + w["cancelWaitSeconds"] + w["shutdownMarginSeconds"]
    for queue in w["queues"]:
        component = queue_component(queue)
        name = f"evoai-{component}"
        vols, mounts = server_volumes()
        out.append(
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": meta(
                    v,
                    name,
                    component,
                    annotations={
                        NO_LIVENESS: (
                            "workers serve no HTTP and the CLI has no health command; a crashed "
                            "process already restarts the container, and a process check adds nothing"
                        )
                    },
                ),
                "spec": {
                    # No `replicas`: KEDA's ScaledObject owns it.
                    "selector": {"matchLabels": labels(component)},
                    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                    "template": {
                        "metadata": {"labels": {**labels(component), "evoai/queue": queue}},
                        "spec": {
                            "securityContext": pod_security(SERVER_UID),
                            "imagePullSecrets": [{"name": v["image"]["pullSecret"]}],
                            "terminationGracePeriodSeconds": grace,
                            "topologySpreadConstraints": spread(component),
                            "containers": [
                                {
                                    "name": "app",
                                    "image": server_image(v),
                                    "command": ["evoai", "worker", "--queue", queue],
                                    "envFrom": server_env_from(),
                                    "env": [{"name": "SHUTDOWN_GRACE_SECONDS", "value": str(w["drainSeconds"])}],
                                    "resources": resources(w["resources"]),
                                    "securityContext": container_security(),
                                    "volumeMounts": mounts,
                                }
                            ],
                            "volumes": vols,
                        },
                    },
                },
            }
        )
        out.append(pdb(v, name, component, maxUnavailable=1))
    return out


def keda(v: Obj) -> list[Obj]:
    w, r = v["workers"], v["redis"]
    out: list[Obj] = [
        {
            "apiVersion": "keda.sh/v1alpha1",
            "kind": "TriggerAuthentication",
            "metadata": meta(v, REDIS_AUTH, "autoscaling"),
            "spec": {"secretTargetRef": [{"parameter": "password", "name": SECRET, "key": "REDIS_PASSWORD"}]},
        }
    ]
    for queue in w["queues"]:
        component = queue_component(queue)
        out.append(
            {
                "apiVersion": "keda.sh/v1alpha1",
                "kind": "ScaledObject",
                "metadata": meta(v, f"evoai-{component}", component),
                "spec": {
                    "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": f"evoai-{component}"},
                    "pollingInterval": w["pollingIntervalSeconds"],
                    "cooldownPeriod": w["cooldownPeriodSeconds"],
                    "minReplicaCount": w["minReplicas"],
                    "maxReplicaCount": w["maxReplicas"],
                    "advanced": {
                        "horizontalPodAutoscalerConfig": {
                            "behavior": {
                                # seed 9.9: queue depth > 1000 -> one more worker.
                                "scaleUp": {"policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]},
                                "scaleDown": {
                                    "stabilizationWindowSeconds": 300,
                                    "policies": [{"type": "Pods", "value": 1, "periodSeconds": 120}],
                                },
                            }
                        }
                    },
                    "triggers": [
                        {
                            "type": "redis",
                            "metadata": {
                                "address": r["address"],
                                # BullMQ keeps waiting jobs in the list bull:<queue>:wait.
                                "listName": f"bull:{queue}:wait",
                                "listLength": str(w["listLength"]),
                                "databaseIndex": str(r["databaseIndex"]),
                                "enableTLS": "true" if r["enableTLS"] else "false",
                            },
                            "authenticationRef": {"name": REDIS_AUTH},
                        }
                    ],
                },
            }
        )
    return out


def scheduler(v: Obj) -> list[Obj]:
    s = v["scheduler"]
    component = "scheduler"
    vols, mounts = server_volumes()
    return [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": meta(
                v,
                "evoai-scheduler",
                component,
                annotations={NO_LIVENESS: "serves no HTTP and the CLI has no health command"},
            ),
            "spec": {
                # Exactly one: two schedulers would enqueue every periodic job twice.
                # Recreate stops the old pod before the new one starts.
                "replicas": 1,
                "strategy": {"type": "Recreate"},
                "selector": {"matchLabels": labels(component)},
                "template": {
                    "metadata": {"labels": labels(component)},
                    "spec": {
                        "securityContext": pod_security(SERVER_UID),
                        "imagePullSecrets": [{"name": v["image"]["pullSecret"]}],
                        "terminationGracePeriodSeconds": s["drainSeconds"] + s["shutdownMarginSeconds"],
                        "containers": [
                            {
                                "name": "app",
                                "image": server_image(v),
                                "command": ["evoai", "scheduler"],
                                "envFrom": server_env_from(),
                                "env": [{"name": "SHUTDOWN_GRACE_SECONDS", "value": str(s["drainSeconds"])}],
                                "resources": resources(s["resources"]),
                                "securityContext": container_security(),
                                "volumeMounts": mounts,
                            }
                        ],
                        "volumes": vols,
                    },
                },
            },
        }
    ]


def migrate_job(v: Obj) -> list[Obj]:
    m = v["migrate"]
    component = "migrate"
    vols, mounts = server_volumes()
    return [
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": meta(v, "evoai-migrate", component),
            "spec": {
                "backoffLimit": m["backoffLimit"],
                "activeDeadlineSeconds": m["activeDeadlineSeconds"],
                "ttlSecondsAfterFinished": 86400,
                "template": {
                    "metadata": {"labels": labels(component)},
                    "spec": {
                        "restartPolicy": "Never",
                        "securityContext": pod_security(SERVER_UID),
                        "imagePullSecrets": [{"name": v["image"]["pullSecret"]}],
                        "containers": [
                            {
                                "name": "app",
                                "image": server_image(v),
                                # Connects with EVOAI_MIGRATION_URL (owner role, straight to
                                # PostgreSQL, not through PgBouncer).
                                "command": ["evoai", "migrate", "up"],
                                "envFrom": server_env_from(),
                                "resources": resources(m["resources"]),
                                "securityContext": container_security(),
                                "volumeMounts": mounts,
                            }
                        ],
                        "volumes": vols,
                    },
                },
            },
        }
    ]


def ingress(v: Obj) -> list[Obj]:
    i = v["ingress"]
    return [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": meta(
                v,
                "evoai",
                "ingress",
                annotations={
                    "nginx.ingress.kubernetes.io/proxy-body-size": i["bodySize"],
                    # Socket.IO keeps WebSockets open far longer than nginx's 60 s default.
                    "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
                    "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
                },
            ),
            "spec": {
                "ingressClassName": i["className"],
                "tls": [{"hosts": [i["apiHost"], i["appHost"]], "secretName": i["tlsSecret"]}],
                "rules": [
                    {
                        "host": i["apiHost"],
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {"service": {"name": "evoai-api", "port": {"name": "http"}}},
                                }
                            ]
                        },
                    },
                    {
                        "host": i["appHost"],
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {"service": {"name": "evoai-web", "port": {"name": "http"}}},
                                }
                            ]
                        },
                    },
                ],
            },
        }
    ]


# File name -> builders. Top-level files are what `kubectl apply -f <env>/`
# takes; pre-deploy/ and templates/ are applied on purpose, never by a plain
# directory apply (not recursive without -R).
LAYOUT = {
    "00-namespace.yaml": [namespace],
    "10-config.yaml": [config],
    "20-pgbouncer.yaml": [pgbouncer],
    "30-api.yaml": [api],
    "31-web.yaml": [web],
    "40-workers.yaml": [workers],
    "41-keda.yaml": [keda],
    "50-scheduler.yaml": [scheduler],
    "60-ingress.yaml": [ingress],
    "pre-deploy/migrate-job.yaml": [migrate_job],
    "templates/secret.yaml": [secrets],
}


def dump(objects: list[Obj], env: str) -> str:
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    buf.write(
        f"# Generated by deploy/k8s/render.py from values/base.yaml + values/{env}.yaml.\n"
        "# Do not edit: change the values or the script and re-run it.\n"
    )
    for n, obj in enumerate(objects):
        if n:
            buf.write("---\n")
        yaml.dump(obj, buf)
    return buf.getvalue()


def render(env: str, image_tag: str | None = None, extra: Path | None = None) -> dict[str, str]:
    values = load_values(env, extra)
    if image_tag:
        values["image"]["tag"] = image_tag
    files = {}
    for name, builders in LAYOUT.items():
        objects = [obj for build in builders for obj in build(values)]
        files[name] = dump(objects, env)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env", choices=ENVIRONMENTS, action="append", help="default: all")
    parser.add_argument("--out", type=Path, help="output directory (default deploy/k8s/<env>); one --env only")
    parser.add_argument("--image-tag", help="image tag instead of values' image.tag")
    parser.add_argument("--values", type=Path, help="one more values file, merged last (ad hoc renders, tests)")
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args()
    envs = args.env or list(ENVIRONMENTS)
    if (args.out or args.values) and len(envs) != 1:
        parser.error("--out and --values need exactly one --env")
    if args.values and not args.out and not args.check:
        parser.error("--values needs --out: the committed files come from the values files alone")
    stale = []
    for env in envs:
        out = args.out or HERE / env
        files = render(env, args.image_tag, args.values)
        if args.check:
            expected = {str(p.relative_to(out)) for p in out.rglob("*.yaml")} if out.exists() else set()
            for extra in sorted(expected - set(files)):
                stale.append(f"{out / extra}: not produced by render.py (delete it)")
            for name, text in files.items():
                path = out / name
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    stale.append(f"{path}: out of date")
            continue
        for name, text in files.items():
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        print(f"rendered {env} -> {out}")
    if stale:
        print("\n".join(stale))
        print("run deploy/k8s/render.py and commit the result")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
