"""A real Celery client (Debian python3-celery) revoking tasks on a Plinth worker with
AsyncResult.revoke(): one not yet due, and one running (terminate=True).

Usage: plinth_celery_revoke.py QUEUE; prints one JSON line per case.
"""
import json
import os
import sys
import time

from celery import Celery

queue = sys.argv[1]
app = Celery("plinth-revoke",
             broker=os.environ.get("PLINTH_CELERY_BROKER", "amqp://guest:guest@127.0.0.1:5672//"),
             backend="rpc://")
app.conf.task_default_queue = queue


def report(case, result, started):
    try:
        outcome = {"status": "SUCCESS", "value": result.get(timeout=60)}
    except Exception as e:
        outcome = {"status": "FAILURE", "type": type(e).__name__, "message": str(e)}
    print(json.dumps({"case": case, "id": result.id, "seconds": time.time() - started, **outcome}),
          flush=True)


started = time.time()
waiting = app.send_task("test.record", kwargs={"key": "revoked-waiting"}, countdown=3)
waiting.revoke()
report("waiting", waiting, started)

started = time.time()
running = app.send_task("test.echo", kwargs={"text": "long", "workMillis": 30000})
time.sleep(2)
running.revoke(terminate=True)
report("running", running, started)
