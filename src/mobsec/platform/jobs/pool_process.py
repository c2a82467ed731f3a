"""One process of the local pool: ``python -m mobsec.platform.jobs.pool_process``.

Sets Django up (the settings module and data directory come from the environment the pool
passes on), then claims and runs jobs until SIGTERM/SIGINT; a job running then is stopped
and released to the queue.
"""

from __future__ import annotations

import argparse
import os
import signal


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="mobsec local job worker")
    p.add_argument("--label", default="local")
    # An idle worker looks at the queue 4 times a second: an indexed query, and at most a
    # quarter of a second added to an upload's latency.
    p.add_argument("--poll", type=float, default=0.25, help="seconds between looks at the queue")
    args = p.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobsec.platform.settings.local")
    import django

    django.setup()
    from .sandbox import FORK_SERVER
    from .worker import Worker, worker_name

    FORK_SERVER.start()  # its imports run now, beside ours, not in the first job
    worker = Worker(worker_name(args.label))
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: worker.stop())
    worker.loop(args.poll)


if __name__ == "__main__":
    main()
