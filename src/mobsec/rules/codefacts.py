"""The code part of stored facts (format 4) as columns of i32 and interned names, built
straight from the DEX reference tables the scan already has (no call-site object, no
method reference decoded per call) and read back for rule-only re-scans.

Sections (see :mod:`mobsec.rules.factsfile`); every table is stored column after column
(a column of dex numbers or of ascending callers packs to almost nothing):

- ``names``: interned class descriptors, method names, proto descriptors, source files;
- ``methods``: a row per method that holds a stored site: dex no, method_idx, class, name,
  proto, source (name numbers, -1 none), owner (number in the header's ``code_owners``);
- ``invokes``: a row per invoked (class, method name): class, name, end of its sites (they
  start where the previous row's end);
- ``sites``: method row and offset of the invoke sites, per invoked method its first
  MAX_SITES in (dex name, caller, offset) order, the order a full scan reports them in;
- ``ancestors``: per invoked class with supertypes: class, count, then the supertypes;
- ``string_texts`` / ``string_sites``: the code strings that live code loads and, per text,
  its first live instruction (method row, offset).

A caller whose class lost to an earlier definition of the same name (dead code) has no
stored site, as a full scan reports none (``DexSet.sites_of``). A stored site is handed to
the evaluator as [dex no, method_idx, offset, method row], as format 3 stored it.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Any

from mobsec.ingest.dex.index import INVOKES, ROW, STRINGS

from .factsfile import Container, ContainerError, le_bytes, texts_bytes

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

MAX_SITES = 50  # per invoked method: a rule leaf keeps at most 50 places anyway
SECTIONS = ("names", "methods", "invokes", "sites", "ancestors", "string_texts", "string_sites")
METHOD_COLUMNS = 7  # dex, method_idx, class, name, proto, source, owner


# ---------------------------------------------------------------------------------- writing


class _Builder:
    """Interned names and method rows, shared by the string and invoke passes."""

    def __init__(self, facts: AppFacts) -> None:
        self.facts = facts
        self.names: dict[str, int] = {}
        self.owners: dict[tuple[Any, ...], int] = {}
        self.methods: list[tuple[int, ...]] = []  # METHOD_COLUMNS numbers per row
        self.classes = facts.code.classes
        self._by_class: dict[int, tuple[int, int]] = {}  # class name -> (source, owner)

    def name(self, text: str) -> int:
        n = self.names.get(text)
        if n is None:
            n = self.names[text] = len(self.names)
        return n

    def class_info(self, desc: str, sid: int) -> tuple[int, int]:
        got = self._by_class.get(sid)
        if got is None:
            found = self.classes.get(desc)
            source = found[1].source_file if found else None
            o = self.facts.owners.owner_of(desc)
            key = (o.kind, o.sdk.id if o.sdk else None, o.sdk.name.get("en") if o.sdk else None)
            owner = self.owners.setdefault(key, len(self.owners))
            got = self._by_class[sid] = (self.name(source) if source else -1, owner)
        return got


class _Dex:
    """One DEX's method table read as u32 words, its names interned on first use."""

    def __init__(self, b: _Builder, d: int, dex: Any) -> None:
        self.b, self.d, self.dex, self.pools = b, d, dex, dex.pools
        self.words = self.pools.method_id_words()  # per method: class | proto << 16, name
        self.n_methods = len(self.words) // 2
        self._types: dict[int, tuple[str, int]] = {}
        self._strings: dict[int, int] = {}
        self._protos: dict[int, int] = {}
        self._dead: dict[int, bool] = {}
        self.rows: dict[int, int] = {}  # method_idx -> method row (-1: none)

    def type_(self, idx: int) -> tuple[str, int]:
        got = self._types.get(idx)
        if got is None:
            desc = self.pools.type_desc(idx)
            got = self._types[idx] = (desc, self.b.name(desc))
        return got

    def string(self, idx: int) -> int:
        got = self._strings.get(idx)
        if got is None:
            got = self._strings[idx] = self.b.name(self.pools.string(idx))
        return got

    def proto(self, idx: int) -> int:
        got = self._protos.get(idx)
        if got is None:
            got = self._protos[idx] = self.b.name(self.pools.proto(idx).descriptor)
        return got

    def row(self, caller: int) -> int:
        """The caller's method row, made on first use; -1 for dead code or a method index
        out of range."""
        row = -1
        if caller < self.n_methods:
            cls_idx = self.words[2 * caller] & 0xFFFF
            dead = self._dead.get(cls_idx)
            desc, sid = self.type_(cls_idx)
            if dead is None:
                found = self.b.classes.get(desc)
                dead = self._dead[cls_idx] = found is not None and found[0] is not self.dex
            if not dead:
                source, owner = self.b.class_info(desc, sid)
                m = self.b.methods
                row = len(m)
                name = self.string(self.words[2 * caller + 1])
                proto = self.proto(self.words[2 * caller] >> 16)
                m.append((self.d, caller, sid, name, proto, source, owner))
        self.rows[caller] = row
        return row


def build(facts: AppFacts) -> tuple[dict[str, bytes], list[list[Any]]]:
    """(the code sections, the owners their method rows name)."""
    b = _Builder(facts)
    dexes = [_Dex(b, d, dex) for d, dex in enumerate(facts.code.dexes)]
    texts, string_sites = _strings(dexes)
    keys, invokes, sites = _invokes(dexes)
    ancestors = _ancestors(facts, b, keys)
    names = sorted(b.names, key=b.names.__getitem__)
    owners = sorted(b.owners, key=b.owners.__getitem__)
    sections = {
        "names": texts_bytes(names),
        "methods": _columns_bytes(
            [array("i", col) for col in zip(*b.methods, strict=True)]
            if b.methods
            else [array("i")] * METHOD_COLUMNS
        ),
        "invokes": _columns_bytes(invokes),
        "sites": _columns_bytes(sites),
        "ancestors": le_bytes(ancestors),
        "string_texts": texts_bytes(texts),
        "string_sites": _columns_bytes(string_sites),
    }
    return sections, [list(o) for o in owners]


def _columns_bytes(columns: list[array]) -> bytes:
    return b"".join(le_bytes(c) for c in columns)


def _strings(dexes: list[_Dex]) -> tuple[list[str], list[array]]:
    texts, rows, offs = [], array("i"), array("i")
    for dx in dexes:
        refs = dx.dex.refs
        if not refs.count(STRINGS):
            continue
        offsets, order = refs.csr(STRINGS)
        table, known = refs.table(STRINGS), dx.rows
        for idx in range(len(offsets) - 1):
            for r in order[offsets[idx] : offsets[idx + 1]]:  # the first live one
                caller = table[r * ROW]
                row = known.get(caller)
                if row is None:
                    row = dx.row(caller)
                if row >= 0:
                    texts.append(dx.dex.string(idx))
                    rows.append(row)
                    offs.append(table[r * ROW + 1])
                    break
    return texts, [rows, offs]


def _invokes(dexes: list[_Dex]) -> tuple[list[str], list[array], list[array]]:
    """The invoked (class, name) keys, their rows and their sites, capped per key."""
    rank = {d: r for r, d in enumerate(sorted(range(len(dexes)), key=lambda d: dexes[d].dex.name))}
    by_key: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
    descs: dict[int, str] = {}
    for dx in dexes:
        refs = dx.dex.refs
        if not refs.count(INVOKES):
            continue
        offsets, order = refs.csr(INVOKES)
        table, words, known, r_d = refs.table(INVOKES), dx.words, dx.rows, rank[dx.d]
        for target in range(min(len(offsets) - 1, dx.n_methods)):
            a, e = offsets[target], offsets[target + 1]
            if a == e:
                continue
            desc, cls = dx.type_(words[2 * target] & 0xFFFF)
            descs[cls] = desc
            key = (cls, dx.string(words[2 * target + 1]))
            found = by_key.setdefault(key, [])
            for r in order[a:e]:  # table order, not (caller, offset): all, sorted below
                caller = table[r * ROW]
                row = known.get(caller)
                if row is None:
                    row = dx.row(caller)
                if row >= 0:
                    found.append((r_d, caller, table[r * ROW + 1], row))
    cls_col, name_col, ends, rows, offs = (array("i") for _ in range(5))
    classes = []
    for key, found in by_key.items():
        if not found:
            continue
        found.sort()  # the first MAX_SITES in the order a full scan reports them
        del found[MAX_SITES:]
        for _, _, offset, row in found:
            rows.append(row)
            offs.append(offset)
        cls_col.append(key[0])
        name_col.append(key[1])
        ends.append(len(rows))
        classes.append(descs[key[0]])
    return classes, [cls_col, name_col, ends], [rows, offs]


def _ancestors(facts: AppFacts, b: _Builder, classes: list[str]) -> array:
    out = array("i")
    hierarchy = facts.hierarchy
    for desc in dict.fromkeys(classes):
        if desc[:1] == "L":
            above = sorted(hierarchy.ancestors(desc) - {desc})
            if above:
                out.extend((b.name(desc), len(above), *map(b.name, above)))
    return out


# ---------------------------------------------------------------------------------- reading


class StoredCode:
    """The code sections of a container, each decoded and checked when first read."""

    def __init__(self, box: Container, n_dexes: int, n_owners: int) -> None:
        self.box, self.n_dexes, self.n_owners = box, n_dexes, n_owners
        self._cache: dict[str, Any] = {}

    def _get(self, what: str) -> Any:
        if what not in self._cache:
            self._cache[what] = getattr(self, "_read_" + what)()
        return self._cache[what]

    @property
    def names(self) -> list[str]:
        return self._get("names")  # type: ignore[no-any-return]

    def _read_names(self) -> list[str]:
        return self.box.texts("names")

    def _read_methods(self) -> list[array]:
        m, n = self._columns("methods", METHOD_COLUMNS), len(self.names)
        limits = ((0, self.n_dexes), (0, 1 << 31), (0, n), (0, n), (0, n), (-1, n),
                  (0, self.n_owners))  # fmt: skip
        for col, (lo, hi) in zip(m, limits, strict=True):
            _bounded(col, lo, hi, "methods")
        return m

    @property
    def n_methods(self) -> int:
        return len(self._get("methods")[0])

    def method(self, row: int) -> tuple[str, str, str | None, int]:
        """(class descriptor, name + proto, source file, owner number) of a method row."""
        _, _, cls, name, proto, source, owner = (c[row] for c in self._get("methods"))
        names = self.names
        return names[cls], names[name] + names[proto], names[source] if source >= 0 else None, owner

    def _site(self, row: int, offset: int) -> list[int]:
        m = self._get("methods")
        return [m[0][row], m[1][row], offset, row]

    def _read_sites(self) -> list[array]:
        rows, offs = self._columns("sites", 2)
        _bounded(rows, 0, self.n_methods, "sites")
        return [rows, offs]

    def _read_invokes(self) -> dict[str, list[tuple[str, int, int]]]:
        """{method name: [(class descriptor, first site, end site)]}."""
        cls_col, name_col, ends = self._columns("invokes", 3)
        names, n_sites = self.names, len(self._get("sites")[0])
        _bounded(cls_col, 0, len(names), "invokes")
        _bounded(name_col, 0, len(names), "invokes")
        _bounded(ends, 0, n_sites + 1, "invokes")
        out: dict[str, list[tuple[str, int, int]]] = {}
        start = 0
        for cls, name, end in zip(cls_col, name_col, ends, strict=True):
            if end < start:
                raise ContainerError("section 'invokes': site ends go backwards")
            out.setdefault(names[name], []).append((names[cls], start, end))
            start = end
        return out

    def _read_ancestors(self) -> dict[str, set[str]]:
        v, names = self.box.ints("ancestors"), self.names
        out, i = {}, 0
        while i < len(v):
            n = v[i + 1] if i + 1 < len(v) else -1
            if n < 0 or i + 2 + n > len(v):
                raise ContainerError("section 'ancestors': a row runs past its end")
            _bounded(v[i : i + 2 + n], 0, len(names), "ancestors")
            out[names[v[i]]] = {names[a] for a in v[i + 2 : i + 2 + n]}
            i += 2 + n
        return out

    def calls(self, class_desc: str, method: str, exact: bool) -> list[list[int]]:
        """The stored sites of ``class_desc->method`` (or, unless ``exact``, of a subtype)."""
        exact = exact or method == "<init>"
        ancestors = {} if exact else self._get("ancestors")
        rows, offs = self._get("sites")
        out = []
        for cls, a, e in self._get("invokes").get(method, ()):
            if cls == class_desc or (not exact and class_desc in ancestors.get(cls, ())):
                out += [self._site(rows[i], offs[i]) for i in range(a, e)]
        return out

    @property
    def string_texts(self) -> list[str]:
        return self._get("string_texts")  # type: ignore[no-any-return]

    def _read_string_texts(self) -> list[str]:
        return self.box.texts("string_texts")

    def _read_string_sites(self) -> list[array]:
        rows, offs = self._columns("string_sites", 2)
        if len(rows) != len(self.string_texts):
            raise ContainerError("section 'string_sites': not one site per text")
        _bounded(rows, 0, self.n_methods, "string_sites")
        return [rows, offs]

    def string_site(self, handle: int) -> list[int]:
        rows, offs = self._get("string_sites")
        return self._site(rows[handle], offs[handle])

    def _columns(self, name: str, width: int) -> list[array]:
        v = self.box.ints(name)
        if len(v) % width:
            raise ContainerError(f"section {name!r}: {len(v)} numbers, not {width} columns")
        n = len(v) // width
        return [v[k * n : (k + 1) * n] for k in range(width)]


def _bounded(values: Any, lo: int, hi: int, section: str) -> None:
    if len(values) and (min(values) < lo or max(values) >= hi):
        raise ContainerError(f"section {section!r}: a number out of range")
