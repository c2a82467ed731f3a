"""Values that reach a crypto API argument, followed a few steps beyond the calling method.

Why beyond the method: apps wrap crypto in helpers. InsecureBankv2 calls
``aes256encrypt(byte[] iv, byte[] key, ...)`` with a field set to a constant array in the
constructor; pivaa calls ``hash(String algorithm, ...)`` with "MD5". Inside the helper the
intra-procedural analysis (:mod:`mobsec.facts.dataflow`) sees only "parameter 0"; at the
caller it sees "field ivBytes" or "result of String.getBytes on field key". This module
follows a parameter to the call sites of its method, a field to its constant writes
(:func:`~mobsec.facts.dataflow.field_constants`), and re-applies the library models
(``getBytes``, ``Base64.decode``, ``toCharArray``...) to receivers and arguments resolved
that way. Every step is bounded (``MAX_DEPTH``, ``MAX_CALLERS``, ``MAX_REACHED``), so a
helper called from thousands of places costs a fixed amount, not a walk of the app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mobsec.facts.dataflow import MethodFlow, Value, field_constants, method_flow
from mobsec.facts.dataflow.models import MODELS
from mobsec.facts.owners import OwnerResolver
from mobsec.ingest.dex import CodeSite, DexFile, DexSet, MethodRef

MAX_DEPTH = 3  # parameter/field/model steps followed from the API call
MAX_CALLERS = 16  # call sites of one helper looked at
MAX_REACHED = 32  # values kept per argument
# Library calls whose result is worth recomputing once their inputs are resolved.
REMODELLED = frozenset(
    {
        ("Ljava/lang/String;", "getBytes"),
        ("Ljava/lang/String;", "toCharArray"),
        ("Ljava/lang/String;", "trim"),
        ("Ljava/lang/String;", "toString"),
        ("Ljava/lang/String;", "valueOf"),
        ("Ljava/lang/String;", "concat"),
        ("Landroid/util/Base64;", "decode"),
        ("Ljava/lang/Integer;", "valueOf"),
        ("Ljava/lang/Integer;", "intValue"),
    }
)


@dataclass(frozen=True, slots=True)
class Reached:
    """One value that can reach the argument; ``via`` names the caller that passed it when
    it came through a parameter of the method holding the API call (for the message)."""

    value: Value
    via: MethodRef | None = None

    @property
    def constant(self) -> bool:
        return self.value.is_constant()


class ArgResolver:
    """Resolves argument values of API call sites for one check run.

    Parameters of methods in a known SDK are not followed: such a method is the SDK's
    public helper (okio's ``ByteString.digest(String)`` behind ``md5()``), and what its
    callers pass says what the SDK offers, not what the app or the SDK does with it.
    """

    def __init__(
        self, code: DexSet, follow_parameters: bool = True, owners: OwnerResolver | None = None
    ) -> None:
        self.code = code
        self.follow_parameters = follow_parameters
        self.owners = owners

    def flow(self, dex: DexFile, method_idx: int) -> MethodFlow | None:
        method = dex.method_by_idx(method_idx)
        return None if method is None else method_flow(dex, method)

    def raw_args(self, site: CodeSite) -> list[frozenset[Value]]:
        """Argument values at the call, receiver first, from the caller's own analysis."""
        flow = self.flow(site.dex, site.caller_idx)
        return flow.args_at(site.offset) if flow is not None else []

    def arg(self, site: CodeSite, position: int) -> list[Reached]:
        """Resolved values of argument ``position`` (receiver first) at ``site``."""
        args = self.raw_args(site)
        if position >= len(args):
            return []
        out: list[Reached] = []
        self._resolve(site.dex, site.caller_idx, args[position], 0, None, out)
        return out

    # ---- resolution ------------------------------------------------------------------------

    def _resolve(
        self,
        dex: DexFile,
        method_idx: int,
        values: Iterable[Value],
        depth: int,
        via: MethodRef | None,
        out: list[Reached],
    ) -> None:
        for v in values:
            if len(out) >= MAX_REACHED:
                return
            if v.is_constant() or depth >= MAX_DEPTH:
                out.append(Reached(v, via))
            elif v.kind == "param" and self.follow_parameters:
                if not self._from_callers(dex, method_idx, v, depth, via, out):
                    out.append(Reached(v, via))
            elif v.kind == "field":
                consts = field_constants(self.code, v.data)  # type: ignore[arg-type]
                if consts:
                    out.extend(Reached(c, via) for c in consts)
                else:
                    out.append(Reached(v, via))
            elif v.kind == "result" and _remodelled(v):
                self._remodel(dex, method_idx, v, depth, via, out)
            else:
                out.append(Reached(v, via))

    def _from_callers(
        self,
        dex: DexFile,
        method_idx: int,
        param: Value,
        depth: int,
        via: MethodRef | None,
        out: list[Reached],
    ) -> bool:
        """Follow parameter ``param`` of this method to what its callers pass."""
        flow = self.flow(dex, method_idx)
        if flow is None or not isinstance(param.data, int):
            return False
        ref = flow.ref
        if self.owners is not None and self.owners.owner_of(ref.class_desc).kind == "sdk":
            return False
        sites = self.code.call_sites(ref.class_desc, ref.name, ref.proto)[:MAX_CALLERS]
        position = param.data + (0 if flow.is_static else 1)
        found = False
        for s in sites:
            args = self.raw_args(s)
            if position < len(args) and args[position]:
                found = True
                self._resolve(s.dex, s.caller_idx, args[position], depth + 1, via or s.caller, out)
        return found

    def _remodel(
        self,
        dex: DexFile,
        method_idx: int,
        result: Value,
        depth: int,
        via: MethodRef | None,
        out: list[Reached],
    ) -> None:
        """Recompute a modelled call (``key.getBytes()``) with its inputs resolved."""
        callee: MethodRef = result.data  # type: ignore[assignment]
        flow = self.flow(dex, method_idx)
        args = flow.args_at(result.offset) if flow is not None and result.offset is not None else []
        resolved: list[frozenset[Value]] = []
        for a in args:
            sub: list[Reached] = []
            self._resolve(dex, method_idx, a, depth + 1, via, sub)
            resolved.append(frozenset(r.value for r in sub))
        model = MODELS.get((callee.class_desc, callee.name))
        made = None
        if model is not None and args and all(resolved):
            made, _updates = model(callee, resolved, result.offset or 0)
        if made:
            out.extend(Reached(m, via) for m in made)
        else:
            out.append(Reached(result, via))


def _remodelled(v: Value) -> bool:
    callee = v.data
    return isinstance(callee, MethodRef) and (callee.class_desc, callee.name) in REMODELLED


# ---- reading resolved values ---------------------------------------------------------------


def texts(reached: Iterable[Reached]) -> list[tuple[str, Reached]]:
    """The constant strings among ``reached``."""
    out = []
    for r in reached:
        t = r.value.text()
        if t is not None:
            out.append((t, r))
    return out


def constant_bytes(r: Reached) -> bytes | None:
    """The contents of a byte/char array known without running the app."""
    v = r.value
    if v.kind == "bytes":
        return bytes(v.data)  # type: ignore[arg-type]
    if v.kind == "array":
        contents = v.data.contents  # type: ignore[union-attr]
        if contents is not None:
            return bytes(c & 0xFF for c in contents)
    return None


def integers(reached: Iterable[Reached]) -> list[tuple[int, Reached]]:
    """The constant ints among ``reached`` (signed 32-bit)."""
    out = []
    for r in reached:
        v = r.value
        if v.kind == "const" and isinstance(v.data, int):
            n = v.data & 0xFFFFFFFF
            out.append((n - (1 << 32) if n >> 31 else n, r))
    return out


def is_null(r: Reached) -> bool:
    """A ``null`` literal (const/4 vX, 0 used as an object reference)."""
    return r.value.kind == "const" and r.value.data == 0


def provenance(r: Reached) -> str:
    """' (passed by com.x.Caller.method)' when the value came through a parameter."""
    if r.via is None:
        return ""
    cls = r.via.class_desc[1:-1].replace("/", ".") if r.via.class_desc.startswith("L") else ""
    return f" (passed by {cls}.{r.via.name})"


def provenance_zh(r: Reached) -> str:
    if r.via is None:
        return ""
    cls = r.via.class_desc[1:-1].replace("/", ".") if r.via.class_desc.startswith("L") else ""
    return f"(由 {cls}.{r.via.name} 传入)"
