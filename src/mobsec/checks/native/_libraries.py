"""Native libraries grouped by name, and the code that loads each one.

A library usually ships once per ABI (lib/arm64-v8a/libfoo.so, lib/x86_64/libfoo.so): a
reviewer wants one finding per library and missing property, naming the ABIs affected,
not four copies of the same finding. Each finding is placed where the app loads the
library (``System.loadLibrary("foo")`` / ``System.load(".../libfoo.so")``, argument from
data flow): that place has a source line, and its class tells who owns the library (the
app, or the SDK whose code loads it). A library nothing visibly loads is reported on the
file itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mobsec.checks.code._flow import arg_strings
from mobsec.checks.context import CheckContext
from mobsec.ingest.dex import CodeSite
from mobsec.ingest.elf import NativeLibrary

LOADERS = (
    ("Ljava/lang/System;", "loadLibrary"),
    ("Ljava/lang/System;", "load"),
    ("Ljava/lang/Runtime;", "loadLibrary"),
    ("Ljava/lang/Runtime;", "load"),
)


@dataclass
class LibraryGroup:
    """One library name (``libfoo.so``) and its copies, one per ABI."""

    name: str
    copies: list[NativeLibrary] = field(default_factory=list)


def library_groups(libs: Iterable[NativeLibrary]) -> list[LibraryGroup]:
    groups: dict[str, LibraryGroup] = {}
    for lib in libs:
        name = lib.path.rsplit("/", 1)[-1]
        groups.setdefault(name, LibraryGroup(name)).copies.append(lib)
    return [groups[k] for k in sorted(groups)]


def _loaded_name(text: str) -> str | None:
    """The file name a loadLibrary/load argument stands for ("foo" -> "libfoo.so")."""
    if "/" in text or text.endswith(".so"):
        return text.rsplit("/", 1)[-1] or None
    return f"lib{text}.so" if text else None


def load_sites(ctx: CheckContext) -> dict[str, CodeSite]:
    """Library file name -> the first site that loads it (app code before SDK code).

    Cheap (a handful of call sites, each method's flow cached by the data-flow module), so
    every native check asks again rather than sharing state.
    """
    found: dict[str, list[CodeSite]] = {}
    for class_desc, name in LOADERS:
        for site in ctx.code.call_sites(class_desc, name, "(Ljava/lang/String;)V"):
            position = 0 if class_desc == "Ljava/lang/System;" else 1  # Runtime: receiver first
            for text in arg_strings(site, position, ctx.facts.values):
                lib = _loaded_name(text)
                if lib:
                    found.setdefault(lib, []).append(site)
    out: dict[str, CodeSite] = {}
    for lib, sites in found.items():
        sites.sort(
            key=lambda s: (
                ctx.owner_of(s.caller.class_desc).kind != "app",
                s.caller.class_desc,
                s.caller.name,
                s.offset,
            )
        )
        out[lib] = sites[0]
    return out
