#!/usr/bin/env python3
"""Structural check of docker/compose.yaml, which cannot be started where no image can be pulled.

Reads the file as compose resolves it (the output of `docker-compose config`, given as the first
argument) or, without that, the file itself (PyYAML resolves its merge keys). Checks what the stack
relies on and what a schema validation cannot see: every dependency waits on a health check that
exists, the Streams instances share one application id but are called at distinct names, the API
token comes from a file secret, each process keeps its state on its own volume, the shippers' paths
are inside a mount of the demo logs, commands name the broker and registry as those services
listen, and nothing is published beyond loopback. Prints one line per check; exits 1 on a failure.
"""
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
STATE = "/var/lib/tlsmon"

failures = []
passes = 0


def check(ok, what):
    global passes
    if ok:
        passes += 1
        print(f"  ok: {what}")
    else:
        failures.append(what)
        print(f"  FAILED: {what}")


def env_of(service):
    env = service.get("environment") or {}
    if isinstance(env, list):  # the KEY=VALUE list form
        env = dict(e.split("=", 1) for e in env)
    return {k: str(v) for k, v in env.items()}


def flag(command, name):
    return command[command.index(name) + 1] if name in command else None


def mounts(service):
    """(source, target) of each volume, short or long syntax."""
    out = []
    for v in service.get("volumes") or []:
        if isinstance(v, str):
            parts = v.split(":")
            out.append((parts[0], parts[1]))
        else:
            out.append((v.get("source"), v.get("target")))
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "compose.yaml")
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    services = doc["services"]
    resolved = len(sys.argv) > 1
    base = HERE  # relative sources in the raw file are relative to docker/

    # The broker and the registry, as the other services must call them.
    kafka = services.get("kafka", {})
    advertised = env_of(kafka).get("KAFKA_ADVERTISED_LISTENERS", "")
    bootstrap = advertised.split("//", 1)[1] if "//" in advertised else None
    roles = set(env_of(kafka).get("KAFKA_PROCESS_ROLES", "").split(","))
    check(bootstrap is not None and roles == {"broker", "controller"},
          f"kafka is one KRaft broker and controller, advertised at {bootstrap}")
    registry = services.get("schema-registry", {})
    reg_port = env_of(registry).get("SCHEMA_REGISTRY_LISTENERS", "").rsplit(":", 1)[-1]
    registry_url = f"http://schema-registry:{reg_port}"

    runs = {n: s for n, s in services.items() if (s.get("command") or [None])[0] == "run"}
    ships = {n: s for n, s in services.items() if (s.get("command") or [None])[0] == "ship"}
    check(len(runs) >= 2, f"two or more Streams instances (tlsmon run): {sorted(runs)}")
    check(len(ships) >= 1, f"a shipper (tlsmon ship): {sorted(ships)}")

    # Health checks and the order of start-up.
    for name, s in services.items():
        if name not in ships:
            test = (s.get("healthcheck") or {}).get("test")
            check(bool(test) and test[0] in ("CMD", "CMD-SHELL"), f"{name} has a health check")
        for dep, cond in (s.get("depends_on") or {}).items():
            cond = cond.get("condition") if isinstance(cond, dict) else None
            check(dep in services, f"{name} depends on a service that exists: {dep}")
            check(cond == "service_healthy" and bool((services.get(dep, {}).get("healthcheck") or {}).get("test")),
                  f"{name} waits for {dep} to be healthy ({cond})")
    probe = os.path.join(HERE, "image", "bin", "tlsmon-healthcheck")
    for name, s in runs.items():
        test = (s.get("healthcheck") or {}).get("test") or []
        check(any("tlsmon-healthcheck" in t for t in test) and "/health/ready" in test and os.access(probe, os.X_OK),
              f"{name}'s health check is the image's probe of /health/ready")

    # The Streams instances: one application, distinct names, a token from a file secret.
    secrets = doc.get("secrets") or {}
    app_ids = {flag(s["command"], "--application-id") for s in runs.values()}
    check(len(app_ids) == 1 and None not in app_ids, f"the instances share one application id: {app_ids}")
    names = [env_of(s).get("TLSMON_HTTP_ADVERTISED_HOST") for s in runs.values()]
    check(len(set(names)) == len(runs) and all(n in services or n == s.get("hostname")
                                             for n, s in zip(names, runs.values())),
          f"each instance is called at its own service name: {names}")
    for name, s in runs.items():
        env = env_of(s)
        token_file = env.get("TLSMON_HTTP_TOKEN_FILE", "")
        used = [x if isinstance(x, str) else x.get("source") for x in s.get("secrets") or []]
        secret = token_file.rsplit("/", 1)[-1]
        check("TLSMON_HTTP_TOKEN" not in env and token_file.startswith("/run/secrets/") and secret in used
              and "file" in (secrets.get(secret) or {}),
              f"{name} reads its API token from the file secret {secret}, not from its environment")
        check(flag(s["command"], "--bootstrap-servers") == bootstrap, f"{name} uses the broker at {bootstrap}")
    for name, s in list(runs.items()) + list(ships.items()):
        check(env_of(s).get("TLSMON_SCHEMA_REGISTRY_URL") == registry_url, f"{name} uses the registry at {registry_url}")

    # One state volume per process, none shared.
    state_volumes = {}
    for name, s in list(runs.items()) + list(ships.items()):
        vols = [src for src, dst in mounts(s) if dst == STATE]
        check(len(vols) == 1 and vols[0] in (doc.get("volumes") or {}), f"{name} keeps its state on a named volume at {STATE}")
        for v in vols:
            state_volumes.setdefault(v, []).append(name)
    check(all(len(users) == 1 for users in state_volumes.values()), f"no two processes share a state volume: {state_volumes}")

    # The shippers follow files that are there.
    for name, s in ships.items():
        cmd = s["command"]
        check(flag(cmd, "--bootstrap-servers") == bootstrap, f"{name} ships to the broker at {bootstrap}")
        target = flag(cmd, "--path")
        found = False
        for src, dst in mounts(s):
            if target == dst or target.startswith(dst.rstrip("/") + "/"):
                host = src if os.path.isabs(src) else os.path.normpath(os.path.join(base, src))
                host = os.path.join(host, os.path.relpath(target, dst))
                if os.path.isdir(host):
                    files = os.listdir(host)
                    found = any(f.upper().startswith(("RECV", "SEND")) for f in files) if flag(cmd, "--source") == "exchange" else bool(files)
                else:
                    found = os.path.isfile(host)
                check(found, f"{name} follows {target}, which is {host} ({'found' if found else 'missing'})")
        if not found and not any(target.startswith(dst) for _, dst in mounts(s)):
            check(False, f"{name}'s --path {target} is inside no mount")

    # Nothing beyond loopback.
    for name, s in services.items():
        for p in s.get("ports") or []:
            published = p if isinstance(p, str) else f"{p.get('host_ip', '')}:{p.get('published')}:{p.get('target')}"
            check(str(published).startswith("127.0.0.1:"), f"{name} publishes {published} on loopback only")

    print(f"compose structure ({'resolved by docker-compose config' if resolved else 'raw file'}): "
          f"{passes} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
