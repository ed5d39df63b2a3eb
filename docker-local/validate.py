#!/usr/bin/env python3
"""Checks docker-local/compose.yaml without a container engine: parses it (anchors and merges
resolved as compose does), validates it against the Compose Specification's JSON schema
(vendored in schema/compose-spec.json, Apache-2.0, from compose-spec/compose-spec), then the
stack's own rules: the backing services and the four modes are there, every long-running service
has a health check, dependencies exist and wait for health, the build points at the Dockerfile,
and the env file sample sets every variable the modes need.

Usage: python3 docker-local/validate.py   (Debian: python3-yaml python3-jsonschema)
"""
import json
import pathlib
import re
import sys

import jsonschema
import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
MODES = {"web": "WEB", "worker": "WORKER", "beat": "BEAT", "task": "TASK"}
BACKING = ("postgres", "redis", "rabbitmq", "localstack")
REQUIRED_ENV = (
    "DATABASE_HOST", "RABBITMQ_HOST", "SESSION_REDIS_HOST", "CACHE_REDIS_HOST",
    "AWS_REGION", "AWS_ENDPOINT_URL", "APPDATA_BUCKET",
)


def main():
    compose = yaml.safe_load((HERE / "compose.yaml").read_text())
    schema = json.loads((HERE / "schema" / "compose-spec.json").read_text())
    errors = [
        f"schema: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(compose)
    ]
    services = compose.get("services", {})
    for name in BACKING + tuple(MODES):
        if name not in services:
            errors.append(f"services: {name} is missing")
    if "15672" not in json.dumps(services.get("rabbitmq", {}).get("ports", [])):
        errors.append("rabbitmq: the management UI port 15672 is not published")
    for name, service in services.items():
        health = service.get("healthcheck", {})
        if name != "task" and (not health.get("test") or health.get("disable")):
            errors.append(f"{name}: no health check")
        for dep, how in (service.get("depends_on") or {}).items():
            if dep not in services:
                errors.append(f"{name}: depends on unknown service {dep}")
            elif how.get("condition") != "service_healthy":
                errors.append(f"{name}: should wait for {dep} to be healthy")
    env_sample = dict(
        line.split("=", 1)
        for line in (HERE / ".env.sample").read_text().splitlines()
        if re.match(r"^[A-Z_][A-Z0-9_]*=", line)
    )
    for name, mode in MODES.items():
        service = services.get(name, {})
        build = service.get("build", {})
        dockerfile = (HERE / build.get("context", ".") / build.get("dockerfile", "Dockerfile"))
        if not dockerfile.resolve().is_file():
            errors.append(f"{name}: build dockerfile {dockerfile} does not exist")
        if service.get("environment", {}).get("APP_RUN_MODE") != mode:
            errors.append(f"{name}: APP_RUN_MODE should be {mode}")
        if service.get("env_file") != ".env":
            errors.append(f"{name}: env_file should be .env (from .env.sample)")
    for variable in REQUIRED_ENV:
        if not env_sample.get(variable):
            errors.append(f".env.sample: {variable} is not set")
    # The overrides (CI's stand-ins, the TLS shape) are Compose files too, of the same services.
    for override in ("compose.ci.yaml", "compose.tls.yaml"):
        extra = yaml.safe_load((HERE / override).read_text())
        errors += [
            f"{override}: schema: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in jsonschema.Draft7Validator(schema).iter_errors(extra)
        ]
        errors += [
            f"{override}: {name} is not a service of compose.yaml"
            for name in extra.get("services", {})
            if name not in services
        ]
    for error in errors:
        print(f"docker-local/compose.yaml: {error}", file=sys.stderr)
    print(f"docker-local/compose.yaml: {len(services)} services, "
          f"{'valid' if not errors else f'{len(errors)} problem(s)'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
