"""A real Celery client (Debian python3-celery) running workflows across a Plinth worker and a
Celery worker: chains both ways, a link and a link_error.

Usage: plinth_celery_canvas.py PLINTH_QUEUE CELERY_QUEUE; prints one JSON line per case.
"""
import json
import os
import sys

from celery import Celery, chain
from celery.result import AsyncResult

plinth_queue, celery_queue = sys.argv[1], sys.argv[2]
app = Celery("plinth-canvas",
             broker=os.environ.get("PLINTH_CELERY_BROKER", "amqp://guest:guest@127.0.0.1:5672//"),
             backend="rpc://")
app.conf.task_default_queue = plinth_queue


def java(name, *args, **kwargs):
    return app.signature(name, args=args, kwargs=kwargs, queue=plinth_queue)


def python(name, *args, **kwargs):
    return app.signature(name, args=args, kwargs=kwargs, queue=celery_queue)


def outcome(result):
    try:
        return {"status": "SUCCESS", "value": result.get(timeout=60)}
    except Exception as e:
        return {"status": "FAILURE", "type": type(e).__name__, "message": str(e)}


def report(case, result, **extra):
    print(json.dumps({"case": case, "id": result.id, **outcome(result), **extra}), flush=True)


# (2 + 3) on Plinth, then + 10 on Celery.
report("java|python", chain(java("test.add", 2, 3), python("py.add", 10)).apply_async())
# (1 + 2) on Celery, + 20 on Plinth, + 300 on Celery.
report("python|java|python",
       chain(python("py.add", 1, 2), java("test.add", 20), python("py.add", 300)).apply_async())
# An immutable step keeps its own arguments.
report("immutable", chain(java("test.add", 1, 1), java("test.add", 5, 5).set(immutable=True))
       .apply_async())

# A link: Plinth's result goes to a Celery callback.
callback = python("py.add", 1000)
callback.freeze()
java("test.add", 1, 1).apply_async(link=callback).get(timeout=60)
report("link", AsyncResult(callback.id, app=app))

# A link_error: a Plinth task that fails for good calls a Celery errback with its id.
errback = python("py.on_error")
errback.freeze()
failing = app.signature("test.always_fails", kwargs={"key": "canvas", "failTimes": 0},
                        queue=plinth_queue).apply_async(
    link_error=errback, headers={"plinth_max_retries": 0})
report("link_error", AsyncResult(errback.id, app=app), failing=failing.id,
       failing_outcome=outcome(failing))

# A nested chain as a link is not run by a Plinth worker: its caller hears so instead of waiting.
nested = chain(python("py.add", 1), python("py.add", 2))
last = nested.freeze()  # the chain's last task: what a caller waits on
java("test.add", 3, 3).apply_async(link=nested).get(timeout=60)
report("unsupported", last)
