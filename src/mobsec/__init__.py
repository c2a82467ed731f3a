"""mobsec: static security and PI-compliance analysis of mobile app packages.

The engine is a library first: ``mobsec.scan(path, options) -> Report``.
"""

from mobsec.engine import scan
from mobsec.options import ScanOptions
from mobsec.version import __version__

__all__ = ["ScanOptions", "__version__", "scan"]
