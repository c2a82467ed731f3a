"""CI's small sample of the labelled set: the generator (bench/similarity_set.py) builds
every transformation of one genuine app with the real toolchain, and each pair gets the
verdict of its label. The whole set is built and measured by the bench, not here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from mobsec.similarity import compare, fingerprint

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_sample_of_the_labelled_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOBSEC_SIMILARITY_SET", str(tmp_path))
    monkeypatch.syspath_prepend(str(BENCH))
    sys.modules.pop("similarity_set", None)
    import similarity_set

    root = similarity_set.build_set(sample=1, jobs=2)
    labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))
    kinds = {lb["transformation"] for lb in labels}
    assert kinds >= {"genuine", "unrelated", "resigned", "rebuilt", "stripped", "injected",
                     "counterfeit", "confusable"}  # fmt: skip
    fps: dict[str, object] = {}
    wrong = []
    for lb in labels:
        for key in ("candidate", "genuine"):
            if lb[key] not in fps:
                fps[lb[key]] = fingerprint(lb[key])
        verdict = compare(fps[lb["candidate"]], fps[lb["genuine"]]).verdict  # type: ignore[arg-type]
        if verdict != lb["label"]:
            wrong.append((lb["transformation"], lb["label"], verdict))
    assert not wrong
