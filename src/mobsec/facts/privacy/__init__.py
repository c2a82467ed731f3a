"""Personal-information (PI) facts: what PI the app reads, where, and who reads it.

* :mod:`.catalog` — the PI source catalog (``data/pi_catalog.json``): APIs, fields,
  callbacks and content URIs that read PI, shared with the taint engine as its source list.
* :mod:`.collection` — who collects what in one app (call sites, owner, permissions, hosts).
* :mod:`.app_types` — the 39 app types of the necessary-PI rules (``data/app_types.json``).
* :mod:`.policy` — a privacy policy text compared with what the app does.
* :mod:`.assessment` — the 31 scenarios of the 191 认定方法, assessed statically.
"""

from .catalog import PiCatalog, PiSource, PiType, load_pi_catalog

__all__ = ["PiCatalog", "PiSource", "PiType", "load_pi_catalog"]
