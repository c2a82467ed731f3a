"""The multi-user web platform (Django): accounts, app registry, scans, jobs.

Nothing in the engine imports this package; the CLI imports it lazily (``mobsec serve``,
``mobsec platform ...``) so that ``import mobsec`` and ``mobsec scan`` never load Django.
"""
