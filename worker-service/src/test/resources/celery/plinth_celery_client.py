"""A real Celery client (Debian python3-celery) calling a Plinth worker over rpc://.

Usage: plinth_celery_client.py QUEUE; prints one JSON line per case.
"""
import json
import os
import sys

from celery import Celery

queue = sys.argv[1]
# PLINTH_CELERY_BROKER: the tests' broker (TestServices), local by default.
app = Celery("plinth-interop",
             broker=os.environ.get("PLINTH_CELERY_BROKER", "amqp://guest:guest@127.0.0.1:5672//"),
             backend="rpc://")
app.conf.task_default_queue = queue


def outcome(result):
    try:
        return {"status": "SUCCESS", "value": result.get(timeout=30)}
    except Exception as e:  # the Java side's failure, raised as Celery raises it
        return {"status": "FAILURE", "type": type(e).__name__, "message": str(e)}


cases = {
    "echo": app.send_task("test.echo", kwargs={"text": "from python", "workMillis": 0}),
    "positional": app.send_task("test.echo", args=["positional", 0]),
    "unknown": app.send_task("test.no_such_task", kwargs={}),
    "failing": app.send_task(
        "test.always_fails", kwargs={"key": "py", "failTimes": 0},
        headers={"plinth_max_retries": 0}),
    "countdown": app.send_task("test.echo", kwargs={"text": "later", "workMillis": 0}, countdown=2),
    # Due in 2 s, expired after 1 s: answered REVOKED, never run.
    "expired": app.send_task(
        "test.echo", kwargs={"text": "too late", "workMillis": 0}, countdown=2, expires=1),
    # timelimit [hard, soft]: told at 0.3 s, the handler cleans up and returns in time...
    "soft_cleanup": app.send_task(
        "test.soft_limit", kwargs={"key": "py-cleanup", "sleepMillis": 1000},
        time_limit=10, soft_time_limit=0.3),
    # ... or writes its marker and runs on into the hard limit.
    "soft_then_hard": app.send_task(
        "test.soft_limit", kwargs={"key": "py-hard", "sleepMillis": 5000},
        time_limit=1.5, soft_time_limit=0.3, headers={"plinth_max_retries": 0}),
}
if os.environ.get("PLINTH_TRACEPARENT"):
    # As opentelemetry-instrumentation-celery sends it: W3C trace context in the message headers.
    cases["traced"] = app.send_task(
        "test.echo", kwargs={"text": "traced", "workMillis": 0},
        headers={"traceparent": os.environ["PLINTH_TRACEPARENT"], "tracestate": "py=1"})
for name, result in cases.items():
    print(json.dumps({"case": name, "id": result.id, **outcome(result)}), flush=True)
