"""Jobs: the queue that runs scans and other background work (a Django app).

The job row is the truth; a local pool of worker processes or Celery workers claim rows,
hold a lease renewed by heartbeat, and write the result once. Callers use
``mobsec.platform.jobs.api``; scans run in ``sandbox.py``'s limited child. This package's
``__init__`` stays free of Django so the sandbox child can import its modules cheaply.
"""
