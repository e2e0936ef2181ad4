"""Running queued tasks as the worker does, in the test's own process.

Under pytest tasks run at once when queued (`Q_CLUSTER["sync"]`), but then a
task that fails raises in the caller and nothing is recorded. To see what a
worker records, queue with `sync=False` and call `run_queued_tasks()`: it
takes each task from the database queue, runs it and saves its result with
django-q2's own pusher, worker and monitor, in this process.
"""

from multiprocessing import Event, Queue, Value

from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import OrmQ
from django_q.monitor import monitor
from django_q.pusher import pusher
from django_q.worker import worker


def run_queued_tasks() -> int:
    broker = get_broker()
    ran = 0
    while OrmQ.objects.filter(lock__lt=timezone.now()).exists():
        task_queue, result_queue = Queue(), Queue()
        taken = Event()
        taken.set()  # take one batch, then stop
        pusher(task_queue, taken, broker)
        task_queue.put("STOP")
        worker(task_queue, result_queue, Value("f", -1))
        result_queue.put("STOP")
        monitor(result_queue, broker)
        for q in (task_queue, result_queue):
            q.close()
            q.join_thread()
        ran += 1
    return ran
