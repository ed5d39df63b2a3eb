"""A real Celery worker app (Debian python3-celery) that runs a task Plinth publishes.

Run: celery -A plinth_celery_worker worker -Q QUEUE (PLINTH_CELERY_QUEUE names the queue).
"""
import os

from celery import Celery

app = Celery("plinth-interop-worker",
             broker=os.environ.get("PLINTH_CELERY_BROKER", "amqp://guest:guest@127.0.0.1:5672//"),
             backend="rpc://")
app.conf.task_default_queue = os.environ["PLINTH_CELERY_QUEUE"]
app.conf.worker_hijack_root_logger = False


@app.task(name="py.add")
def add(a, b):
    return a + b


@app.task(name="py.trace_context", bind=True)
def trace_context(self):
    """The W3C trace context the message carried, where opentelemetry-instrumentation-celery
    reads it: the task request, which Celery fills from the message headers."""
    return {"traceparent": self.request.get("traceparent"),
            "tracestate": self.request.get("tracestate")}


@app.task(name="py.on_error")
def on_error(task_id):
    """A link_error signature as Celery sends it when it cannot call it in process: (task_id,)."""
    return {"failed": task_id}


@app.task(name="py.total")
def total(values):
    """A chord's body: the header's results in order, as Celery gives them."""
    return sum(values)
