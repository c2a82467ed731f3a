"""Per-method fingerprints of normalised DEX instructions.

A repackager decodes the app (baksmali), edits it and assembles it again (smali): the
instruction sequence of every method it did not touch comes back, but string, type and
method indexes, register numbers, branch offsets and instruction widths (``const/4`` or
``const/16``, ``goto`` or ``goto/16``) may all change, and so may the names of the app's
own classes when it renames the package. A method is therefore fingerprinted by its
opcode families, with the names it references only where those names cannot change: the
platform's classes and members (``Landroid/...``, ``Ljava/...``) and string constants.
References to the app's own code count as "some app member". The instructions are
decoded by the DEX core (:mod:`mobsec.ingest.dex`); there is no second DEX parser here.

Catalogued SDKs and the platform are left out (they are shared by unrelated apps and
compared as SDK lists instead); classes of uncatalogued libraries are kept apart from the
app's own code, so similarity is measured on what makes the app itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mobsec.ingest.dex import _dexcore
from mobsec.ingest.dex.disasm import OPCODES

if TYPE_CHECKING:
    from mobsec.diagnostics import Diagnostics
    from mobsec.facts.owners import OwnerResolver
    from mobsec.ingest.dex import DexFile, DexSet

MIN_METHOD_INSTRUCTIONS = 3  # shorter methods (getters, bare constructors) say nothing
MAX_INSTRUCTIONS = 4_000_000  # per app: beyond this the fingerprint is marked truncated
MAX_STRING_CHARS = 64
_PAYLOAD_OPS = (0x100, 0x200, 0x300)
# opcode -> (family, index kind): "const/4" and "const/16" are one family
_FAMILY = tuple((m.split("/")[0], kind) for m, _fmt, kind, _k2 in OPCODES)


@dataclass(slots=True)
class CodePrints:
    """Method fingerprints per class: the app's own code and uncatalogued libraries."""

    app: dict[str, list[str]] = field(default_factory=dict)
    lib: dict[str, list[str]] = field(default_factory=dict)
    methods: int = 0  # methods fingerprinted
    instructions: int = 0
    truncated: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "app": self.app,
            "lib": self.lib,
            "methods": self.methods,
            "instructions": self.instructions,
            "truncated": self.truncated,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> CodePrints:
        return cls(
            {str(k): [str(h) for h in v] for k, v in dict(doc.get("app", {})).items()},
            {str(k): [str(h) for h in v] for k, v in dict(doc.get("lib", {})).items()},
            int(doc.get("methods", 0)),
            int(doc.get("instructions", 0)),
            bool(doc.get("truncated", False)),
        )

    def app_set(self) -> set[str]:
        return {h for hs in self.app.values() for h in hs}

    def all_set(self) -> set[str]:
        return self.app_set() | {h for hs in self.lib.values() for h in hs}


def _is_platform(desc: str, prefixes: tuple[str, ...]) -> bool:
    return desc.lstrip("[").startswith(prefixes)


class _Normaliser:
    """Tokens of one DEX file's instructions, with the pool lookups cached."""

    def __init__(self, dex: DexFile, platform_prefixes: tuple[str, ...]) -> None:
        self.dex = dex
        self.prefixes = platform_prefixes
        self.cache: dict[tuple[str, int], str] = {}

    def ref_token(self, kind: str, idx: int) -> str:
        key = (kind, idx)
        token = self.cache.get(key)
        if token is None:
            token = self.cache[key] = self._ref(kind, idx)
        return token

    def _ref(self, kind: str, idx: int) -> str:
        pools = self.dex.pools
        if kind == "string":
            return "s:" + pools.string(idx)[:MAX_STRING_CHARS]
        if kind == "type":
            desc = pools.type_desc(idx)
            return desc if _is_platform(desc, self.prefixes) else "T"
        if kind == "method":
            ref = pools.method_ref(idx)
            if _is_platform(ref.class_desc, self.prefixes):
                return f"{ref.class_desc}->{ref.name}"
            return "M"
        if kind == "field":
            ref = pools.field_ref(idx)
            if _is_platform(ref.class_desc, self.prefixes):
                return f"{ref.class_desc}->{ref.name}"
            return "F"
        return kind

    def method_hash(self, insns_off: int, insns_size: int, budget: int) -> tuple[str | None, int]:
        """(fingerprint or None when too short, instructions decoded)."""
        data = self.dex.data
        tokens: list[str] = []
        pc = n = 0
        while pc < insns_size and n < budget:
            try:
                op, _fmt, size, _regs, _lit, idx, _i2, _t, _payload = _dexcore.decode(
                    data, insns_off, insns_size, pc
                )
            except ValueError:
                break  # the scan already reported the broken code; keep what decoded
            n += 1
            pc += size
            if op in _PAYLOAD_OPS:
                continue
            family, kind = _FAMILY[op]
            tokens.append(family if idx is None else f"{family} {self.ref_token(kind, idx)}")
        if len(tokens) < MIN_METHOD_INSTRUCTIONS:
            return None, n
        digest = hashlib.blake2b("\n".join(tokens).encode("utf-8", "replace"), digest_size=8)
        return digest.hexdigest(), n


def platform_prefixes(packages: tuple[str, ...]) -> tuple[str, ...]:
    """``java.`` → ``Ljava/``: the platform's package prefixes as descriptor prefixes."""
    return tuple("L" + p.replace(".", "/") for p in packages)


def code_prints(
    code: DexSet, owners: OwnerResolver, prefixes: tuple[str, ...], diags: Diagnostics
) -> CodePrints:
    out = CodePrints()
    normalisers: dict[int, _Normaliser] = {}
    for desc, (dex, cls) in code.classes.items():
        kind = owners.owner_of(desc).kind
        if kind in ("sdk", "framework"):
            continue
        norm = normalisers.get(id(dex))
        if norm is None:
            norm = normalisers[id(dex)] = _Normaliser(dex, prefixes)
        hashes: set[str] = set()
        for method in cls.methods:
            budget = MAX_INSTRUCTIONS - out.instructions
            if budget <= 0:
                out.truncated = True
                break
            item = dex.code_item(method) if method.code_off else None
            if item is None:
                continue
            h, n = norm.method_hash(item.insns_off, item.insns_size, budget)
            out.instructions += n
            if h is not None:
                hashes.add(h)
                out.methods += 1
        if hashes:
            (out.app if kind in ("app", "unknown") else out.lib)[desc] = sorted(hashes)
        if out.truncated:
            diags.warning(
                "similarity.code_truncated",
                "",
                f"Code fingerprints stopped after {MAX_INSTRUCTIONS} instructions; "
                "the rest of the code is not compared",
                f"代码指纹在 {MAX_INSTRUCTIONS} 条指令后停止,其余代码未参与比较",
            )
            break
    return out
