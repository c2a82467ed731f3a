"""Property tests: whatever text, versions, packages and vectors an advisory holds (hostile
Unicode included), every document the library makes validates against the official schema,
and an unusable advisory is an AdvisoryError naming the field, never another exception."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.advisories import (
    Advisory,
    AdvisoryError,
    Credit,
    NoEcosystem,
    Product,
    Reference,
    Revision,
    Text,
    cna_container,
    to_csaf,
    to_osv,
)
from mobsec.advisories.model import CREDIT_TYPES, REFERENCE_KINDS, VERSION
from tests.advisories.schemas import cna_container_errors, csaf_errors, osv_errors
from tests.advisories.test_formats import CNA, PUBLISHER

words = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80).filter(
    lambda s: s.strip()
)
texts = st.builds(Text, words, words)
versions = st.from_regex(VERSION, fullmatch=True).filter(
    lambda v: v.lower() not in {"after", "all", "before", "earlier", "later", "prior", "versions"}
)
ident = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
packages = {
    None: st.from_regex(r"com\.[a-z]{1,8}\.[a-z]{1,8}", fullmatch=True),
    "Maven": st.builds(lambda g, a: f"com.{g}:{a}", ident, ident),
    "npm": st.one_of(ident, st.builds(lambda s, n: f"@{s}/{n}", ident, ident)),
    "PyPI": ident,
}
V31 = st.builds(
    lambda av, ac, pr, ui, s, c, i, a: f"CVSS:3.1/AV:{av}/AC:{ac}/PR:{pr}/UI:{ui}/S:{s}/C:{c}/I:{i}/A:{a}",
    *(st.sampled_from(v) for v in ("NALP", "LH", "NLH", "NR", "UC", "HLN", "HLN", "HLN")),
)  # fmt: skip
V40 = st.builds(
    lambda av, ac, at, pr, ui, vc, vi, va, sc, si, sa: (
        f"CVSS:4.0/AV:{av}/AC:{ac}/AT:{at}/PR:{pr}/UI:{ui}/VC:{vc}/VI:{vi}/VA:{va}/SC:{sc}/"
        f"SI:{si}/SA:{sa}"),
    *(st.sampled_from(v) for v in ("NALP", "LH", "NP", "NLH", "NPA", "HLN", "HLN", "HLN",
                                   "HLN", "HLN", "HLN")),
)  # fmt: skip


@st.composite
def products(draw):
    ecosystem = draw(st.sampled_from([None, "Maven", "npm", "PyPI"]))
    fixed = draw(st.none() | versions)
    listed = draw(st.lists(versions, max_size=3, unique=True))
    introduced = draw(st.none() | versions)
    if not (fixed or listed or introduced):
        listed = ["1.0"]
    return Product(vendor=draw(words), name=draw(words), package=draw(packages[ecosystem]),
                   platform=draw(st.sampled_from(["", "android", "ios"])), ecosystem=ecosystem,
                   introduced=introduced, fixed=fixed, versions=tuple(listed))  # fmt: skip


@st.composite
def advisories(draw):
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 10**6)))
    gaps = draw(st.lists(st.integers(0, 10**5), min_size=0, max_size=3))
    dates = [start]
    for g in gaps:
        dates.append(dates[-1] + timedelta(minutes=g))
    solution, mitigation = draw(st.sampled_from([(1, 0), (0, 1), (1, 1)]))
    return Advisory(
        id=draw(st.from_regex(r"[A-Z][A-Z0-9]{1,15}-20[0-9]{2}-[0-9]{4,6}", fullmatch=True)),
        title=draw(texts),
        description=draw(texts),
        products=tuple(draw(st.lists(products(), min_size=1, max_size=3))),
        revisions=tuple(Revision(i + 1, d, draw(words)) for i, d in enumerate(dates)),
        solution=draw(texts) if solution else None,
        mitigation=draw(texts) if mitigation else None,
        impact=draw(st.none() | texts),
        cwe=tuple(
            draw(
                st.lists(
                    st.sampled_from(["CWE-79", "CWE-919", "CWE-295", "CWE-1"]),
                    max_size=2,
                    unique=True,
                )
            )
        ),
        cvss_v31=draw(st.none() | V31),
        cvss_v40=draw(st.none() | V40),
        references=tuple(
            draw(
                st.lists(
                    st.builds(
                        Reference,
                        st.builds(lambda p: f"https://example.com/{p}", ident),
                        st.sampled_from(REFERENCE_KINDS),
                        words,
                    ),
                    max_size=2,
                    unique_by=lambda r: r.url,
                )
            )
        ),
        credits=tuple(
            draw(
                st.lists(
                    st.builds(Credit, words, st.sampled_from(CREDIT_TYPES), st.just("") | words),
                    max_size=2,
                )
            )
        ),
        cve_id=draw(st.none() | st.from_regex(r"CVE-20[0-9]{2}-[0-9]{4,7}", fullmatch=True)),
        extra={"url": "https://mobsec.example/advisories/x/"},
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(advisories())
def test_every_document_validates(advisory):
    for lang in ("en", "zh-CN"):
        assert csaf_errors(to_csaf(advisory, PUBLISHER, lang)) == []
    assert cna_container_errors(cna_container(advisory, CNA)) == []
    if advisory.has_ecosystem():
        assert osv_errors(to_osv(advisory)) == []
    else:
        try:
            to_osv(advisory)
        except NoEcosystem:
            pass
        else:
            raise AssertionError("OSV for an app-level advisory")


anything = st.one_of(st.none(), st.text(max_size=30), st.integers(), st.just(()))


@settings(max_examples=100, deadline=None)
@given(st.fixed_dictionaries({}, optional={
    "id": st.text(max_size=20), "cwe": st.lists(st.text(max_size=12), max_size=2).map(tuple),
    "cvss_v31": st.text(max_size=60), "cvss_v40": st.text(max_size=60),
    "cve_id": st.text(max_size=20), "solution": st.none(), "mitigation": st.none(),
    "products": st.lists(st.builds(Product, st.text(max_size=5), st.text(max_size=5),
                                   versions=st.lists(st.text(max_size=8), max_size=2).map(tuple),
                                   ecosystem=st.none() | st.text(max_size=6)),
                         max_size=2).map(tuple),
}))  # fmt: skip
def test_bad_fields_are_advisory_errors(change):
    from dataclasses import replace

    from tests.advisories.samples import APP

    broken = replace(APP, **change)
    for export in (lambda a: to_csaf(a, PUBLISHER), lambda a: cna_container(a, CNA)):
        try:
            export(broken)
        except AdvisoryError as e:
            assert e.problems and all(isinstance(p, str) and p for p in e.problems)


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(advisories(), min_size=8, max_size=8))
def test_generated_csaf_passes_the_mandatory_tests(batch):
    import tempfile
    from pathlib import Path

    from tests.advisories.schemas import csaf_mandatory_failures

    docs = [to_csaf(a, PUBLISHER, lang) for a in batch for lang in ("en", "zh-CN")]
    with tempfile.TemporaryDirectory() as tmp:
        assert csaf_mandatory_failures(docs, Path(tmp)) == [[] for _ in docs]
