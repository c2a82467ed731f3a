__version__ = "0.1.0"

# Version of the Report JSON document; bump the major part on incompatible changes.
REPORT_SCHEMA_VERSION = "1.0.0"
