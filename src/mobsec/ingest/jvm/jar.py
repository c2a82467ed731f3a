"""Every class file of a JAR, parsed; a malformed one is a diagnostic naming it."""

from __future__ import annotations

from dataclasses import dataclass, field

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.archive import Archive

from .classfile import MAX_CLASS_SIZE, ClassFormatError, ClassInfo, parse_class

MAX_CLASSES = 100_000


@dataclass
class JvmCode:
    """The classes of one or more JARs; the first definition of a name wins (class path order)."""

    classes: dict[str, tuple[str, ClassInfo]] = field(default_factory=dict)  # desc → (file, class)
    jars: list[dict[str, object]] = field(default_factory=list)  # per JAR: name, counts
    _children: dict[str, list[str]] | None = None

    def subclasses(self, desc: str) -> list[str]:
        """Classes here whose direct superclass or interface is ``desc`` (for the hierarchy)."""
        if self._children is None:
            self._children = {}
            for name, (_, c) in self.classes.items():
                for p in ([c.superclass] if c.superclass else []) + c.interfaces:
                    self._children.setdefault(p, []).append(name)
        return self._children.get(desc, [])

    def add_jar(self, archive: Archive, where: str, diags: Diagnostics) -> None:
        """Parse the ``.class`` entries of ``archive``; ``where`` prefixes file names
        (``classes.jar!/``) so diagnostics and findings name the class file."""
        names = [n for n in archive.names() if n.endswith(".class")]
        parsed = bad = 0
        for name in names[:MAX_CLASSES]:
            path = f"{where}{name}"
            if name.startswith("META-INF/versions/") or name.endswith("module-info.class"):
                continue  # multi-release copies and module descriptors: not code of their own
            data = archive.read(name, MAX_CLASS_SIZE)  # never inflated past a class's limit
            if data is None:
                bad += 1
                continue  # the archive reader said why
            try:
                cls = parse_class(data)
            except ClassFormatError as e:
                bad += 1
                diags.error(
                    "jvm.bad_class",
                    path,
                    f"malformed class file: {e}",
                    f"类文件格式错误:{e}",
                )
                continue
            parsed += 1
            if cls.name in self.classes:
                diags.info(
                    "jvm.duplicate_class",
                    path,
                    f"class {cls.name} is defined again (first in {self.classes[cls.name][0]})",
                    f"类 {cls.name} 重复定义(首次定义于 {self.classes[cls.name][0]})",
                )
                continue
            self.classes[cls.name] = (path, cls)
            self._children = None
        if len(names) > MAX_CLASSES:
            diags.warning(
                "jvm.too_many_classes",
                where or archive.display_name,
                f"{len(names)} class files; only the first {MAX_CLASSES} are read",
                f"类文件 {len(names)} 个,仅读取前 {MAX_CLASSES} 个",
            )
        self.jars.append(
            {
                "name": where.rstrip("!/") or archive.display_name,
                "classes": parsed,
                "malformed": bad,
            }
        )


def read_jar_classes(archive: Archive, where: str, diags: Diagnostics) -> JvmCode:
    code = JvmCode()
    code.add_jar(archive, where, diags)
    return code
