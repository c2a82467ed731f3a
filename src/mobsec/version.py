__version__ = "0.1.0"

# Version of the Report JSON document; bump the major part on incompatible changes.
REPORT_SCHEMA_VERSION = "1.0.0"


def engine_build() -> str:
    """``<version>+<digest>`` of the engine's own code and data (everything under
    ``src/mobsec`` but the platform and the batch runner): what a stored result depends on. ``__version__`` alone
    does not change between commits; this does whenever a reader, fact or check changes, so
    a batch resume or a stored-facts re-scan never trusts results of another engine."""
    global _BUILD
    if _BUILD is None:
        import hashlib
        from pathlib import Path

        root = Path(__file__).resolve().parent
        h = hashlib.sha256()
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if rel.parts[0] in ("platform", "batch") or "__pycache__" in rel.parts:
                continue
            if path.suffix in (".py", ".json", ".c", ".h", ".yaml") and path.is_file():
                h.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        _BUILD = f"{__version__}+{h.hexdigest()[:12]}"
    return _BUILD


_BUILD: str | None = None
