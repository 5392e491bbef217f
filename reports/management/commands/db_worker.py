"""`manage.py db_worker`: django-tasks-db's worker, plus the two things it lacks (issue 12).

What the library already does, and is kept: claiming a task under a lock, running it, recording
success or failure, closing old connections between tasks; with CONN_HEALTH_CHECKS (settings) a
connection the database dropped is replaced before the next query. What it does not do:

- survive an error raised by a dropped connection mid-query: its loop re-raises it and the worker
  exits. Here the loop is restarted after closing the connections and a pause;
- notice a task whose worker died (SIGKILL, out of memory, a lost machine): the task stays
  "running" for ever. Batch exports carry a heartbeat; every EXPORT_SWEEP_SECONDS this worker
  queues again the exports whose heartbeat stopped (or marks them failed for a retry) and deletes
  export files older than EXPORT_KEEP_DAYS (reports/services/exports.py).

The library's loop is reused as it is, in batch mode (it returns when no task is ready), so that
the sweep can run between its passes; --batch and --max-tasks keep their meaning.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker as upstream

logger = logging.getLogger("django_tasks_db")
RECONNECT_PAUSE = 5.0


class Worker(upstream.Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.once, self.batch = self.batch, True
        self.swept_at = 0.0

    def sweep(self) -> None:
        if time.monotonic() - self.swept_at < settings.EXPORT_SWEEP_SECONDS:
            return
        from reports.services.exports import export_files_prune, export_jobs_recover

        queued = export_jobs_recover()
        if queued:
            logger.warning("Batch exports whose worker died, queued again: %s", queued)
        export_files_prune()
        self.swept_at = time.monotonic()

    def run(self) -> None:
        while self.running:
            try:
                self.sweep()
                super().run()
                self.startup_delay = False
            except (OperationalError, InterfaceError) as error:
                if not self.running:
                    raise
                logger.warning("Database connection lost (%s); reconnecting in %s s", error, RECONNECT_PAUSE)
                connections.close_all()
                time.sleep(min(RECONNECT_PAUSE, self.interval or RECONNECT_PAUSE))
                continue
            if self.once or (self.max_tasks is not None and self._run_tasks >= self.max_tasks):
                return
            time.sleep(self.interval)


upstream.Worker = Worker  # the library's handle() builds its worker by this name


class Command(upstream.Command):
    pass
