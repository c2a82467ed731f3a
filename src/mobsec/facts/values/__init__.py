"""Values across methods: what reaches a use, and the path it took (see :mod:`.analysis`).

Every value-based check asks here (``ctx.facts.values``), never per method on its own::

    for r in facts.values.arg(site, 1):          # argument 1 (receiver first) of the call
        data = constant_bytes(r)                  # b"0123456789abcdef" or None
        en, zh = describe_path(r)                 # "made in A.<clinit> @0004 -> stored in ..."
"""

from .analysis import ValueAnalysis
from .path import (
    Reached,
    Step,
    constant_bytes,
    describe_path,
    integers,
    is_null,
    provenance,
    provenance_zh,
    texts,
)

__all__ = [
    "Reached",
    "Step",
    "ValueAnalysis",
    "constant_bytes",
    "describe_path",
    "integers",
    "is_null",
    "provenance",
    "provenance_zh",
    "texts",
]
