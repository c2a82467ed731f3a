"""Rule packs released for an incident: a ZIP of a signed pack folder (``mobsec rules sign``),
verified with the publisher keys the platform knows before anything is kept.

The archive is unpacked with bounds (entries, sizes, names: no absolute path, no ``..``, no
link) into a fresh folder, then :func:`mobsec.rules.signing.verify_pack` checks the
signature over exactly the files in it and :func:`mobsec.rules.loader.load_pack` checks
every rule. Publisher keys: the platform's own ``rule-packs`` key (current and retired, key
custody) and the public PEM files in ``MOBSEC_RULE_PACK_PUBLISHERS`` (a folder).
"""

from __future__ import annotations

import hashlib
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from cryptography.hazmat.primitives import serialization
from django.conf import settings

from mobsec.platform.core.errors import UserError
from mobsec.platform.keys import custody
from mobsec.rules.loader import RulePack, load_pack
from mobsec.rules.signing import verify_pack
from mobsec.rules.yamlsafe import RuleFileError

MAX_ARCHIVE_BYTES = 20 << 20
MAX_UNPACKED_BYTES = 64 << 20
MAX_ENTRIES = 2000
PLATFORM_KEY = "rule-packs"


def root() -> Path:
    return Path(getattr(settings, "MOBSEC_INCIDENT_PACKS", None) or
                Path(settings.DATA_DIR) / "incident-packs")  # fmt: skip


def archive_path(sha256: str) -> Path:
    return root() / f"{sha256}.zip"


def folder(sha256: str) -> Path:
    return root() / sha256


def _refuse(name: str, en: str, zh: str) -> UserError:
    return UserError("incident.bad_pack", f"{name}: {en}", f"{name}：{zh}", status=400)


def publisher_keys(tmp: Path) -> list[Path]:
    """The public keys a pack may be signed with, as PEM files in ``tmp``."""
    paths = []
    for kid, key in custody.public_keys(PLATFORM_KEY).items():
        p = tmp / f"platform-{kid}.pem"
        p.write_bytes(key.public_bytes(serialization.Encoding.PEM,
                                       serialization.PublicFormat.SubjectPublicKeyInfo))  # fmt: skip
        paths.append(p)
    extra = getattr(settings, "MOBSEC_RULE_PACK_PUBLISHERS", None)
    if extra and Path(extra).is_dir():
        paths += sorted(Path(extra).glob("*.pem"))
    return paths


def _unpack(data: bytes, name: str, dest: Path) -> Path:
    """Unpack the ZIP into ``dest`` with bounds; returns the pack folder (the archive's
    root, or its only top-level folder)."""
    import io

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as e:
        raise _refuse(name, f"not a ZIP archive ({e})", f"不是 ZIP 压缩包（{e}）") from None
    if len(infos) > MAX_ENTRIES:
        raise _refuse(name, f"more than {MAX_ENTRIES} entries", f"条目超过 {MAX_ENTRIES} 个")
    total = 0
    for info in infos:
        parts = PurePosixPath(info.filename.replace("\\", "/")).parts
        if (not parts or info.filename.startswith(("/", "\\")) or ".." in parts
                or ":" in info.filename or "\x00" in info.filename):  # fmt: skip
            raise _refuse(name, f"unsafe entry name {info.filename[:100]!r}",
                          f"不安全的条目名 {info.filename[:100]!r}")  # fmt: skip
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _refuse(name, f"{info.filename[:100]}: links are not allowed",
                          f"{info.filename[:100]}：不允许链接")  # fmt: skip
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise _refuse(name, f"unpacks to more than {MAX_UNPACKED_BYTES >> 20} MiB",
                          f"解压后超过 {MAX_UNPACKED_BYTES >> 20} MiB")  # fmt: skip
        target = dest.joinpath(*parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with zf.open(info) as src, target.open("wb") as out:
                # Read in bounded steps: the declared size may lie.
                written = 0
                while chunk := src.read(1 << 16):
                    written += len(chunk)
                    if written > info.file_size or written > MAX_UNPACKED_BYTES:
                        raise _refuse(name, f"{info.filename[:100]}: larger than declared",
                                      f"{info.filename[:100]}：实际大小超过声明")  # fmt: skip
                    out.write(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as e:
            raise _refuse(name, f"{info.filename[:100]}: unreadable ({e})",
                          f"{info.filename[:100]}：无法读取（{e}）") from None  # fmt: skip
    children = [p for p in dest.iterdir() if p.name != "__MACOSX"]
    if not (dest / "pack.yaml").exists() and len(children) == 1 and children[0].is_dir():
        return children[0]
    return dest


def receive(data: bytes, name: str) -> tuple[RulePack, str, str]:
    """Check an uploaded pack archive; keep it (archive and folder) under its SHA-256.
    Returns (the loaded pack, the key id that signed it, the archive's SHA-256).
    An unsigned, tampered or invalid pack raises :class:`UserError` naming the problem."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise _refuse(name, f"larger than {MAX_ARCHIVE_BYTES >> 20} MiB",
                      f"超过 {MAX_ARCHIVE_BYTES >> 20} MiB")  # fmt: skip
    sha = hashlib.sha256(data).hexdigest()
    root().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root(), prefix="upload-") as tmp:
        work = Path(tmp) / "pack"
        work.mkdir()
        pack_dir = _unpack(data, name, work)
        keys = Path(tmp) / "keys"
        keys.mkdir()
        try:
            key_id = verify_pack(pack_dir, publisher_keys(keys))
            load_pack(pack_dir)
        except RuleFileError as e:
            where = _relative(str(e.file), pack_dir)
            line = f":{e.line}" if getattr(e, "line", None) else ""
            raise UserError(
                "incident.pack_refused",
                f"{name}: rule pack refused: {where}{line}: {e.en}",
                f"{name}：规则包被拒绝：{where}{line}：{e.zh}",
                status=400,
            ) from None
        final = folder(sha)
        if not final.exists():
            shutil.move(str(pack_dir), str(final))
        archive = archive_path(sha)
        if not archive.exists():
            archive.write_bytes(data)
    return load_pack(final), key_id, sha


def _relative(path: str, base: Path) -> str:
    """A file of the pack named relative to it (never the server's temporary path)."""
    try:
        rel = Path(path).resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError):
        return Path(path).name or "pack"
    return "pack" if rel == "." else rel
