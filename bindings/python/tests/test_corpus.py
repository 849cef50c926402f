"""Every case of the shared decision corpus, run through the Python API.

The cases core/tests/corpus/manifest.json lists, as core's corpus test runs
them (see core/tests/corpus/README.md): the decision's `to_json()`, or the
error's `to_json()`, must equal `expected.json` byte for byte, and the typed
objects must say what the JSON says.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import changegate
from conftest import REPO

MANIFEST = REPO / "core" / "tests" / "corpus" / "manifest.json"
CASES: List[Dict[str, Any]] = json.loads(MANIFEST.read_text("utf-8"))["cases"]


def _read(path: Path) -> str:
    # Bytes, not read_text(): no newline translation, the exact text.
    return path.read_bytes().decode("utf-8")


def _dir(case: Dict[str, Any]) -> Path:
    return REPO / case["dir"]


def _load(case: Dict[str, Any]) -> Tuple[changegate.Policy, changegate.Graph, str]:
    """The case's policy, graph and change: its own files, or what its ``imports`` make of other tools' records
    (the change's ``backups`` gaining those of a ``backups`` import)."""
    policy = changegate.Policy.from_path(case["policy"], base_dir=_dir(case))
    imports = case.get("imports") or {}

    def imported(what: str) -> Any:
        spec = imports[what]
        return changegate.import_files(spec["adapter"], spec["paths"], options=spec["options"], base_dir=_dir(case)).document

    graph_doc = imported("graph") if "graph" in imports else None
    graph = changegate.Graph.from_dict(graph_doc) if graph_doc else changegate.Graph.from_file(_dir(case) / case["graph"])
    change: Any = imported("change") if "change" in imports else _read(_dir(case) / case["change"])
    if "backups" in imports:
        change = json.loads(change) if isinstance(change, str) else change
        change["backups"] = change.get("backups", []) + imported("backups")
    return policy, graph, change if isinstance(change, str) else json.dumps(change)


def test_corpus_is_found() -> None:
    assert len(CASES) >= 200, f"only {len(CASES)} corpus cases listed in {MANIFEST}"
    assert any(c["dir"].startswith("policies/examples/") for c in CASES), "no policies/examples cases"


def _utc(t: datetime) -> str:
    assert t.tzinfo is not None and t.utcoffset() == timedelta(0)
    text = t.replace(tzinfo=None).isoformat()
    if "." in text:
        text = text.rstrip("0")
    return text + "Z"


def _duration(d: timedelta) -> str:
    # core's format_duration: whole days when >= 2 whole days, else h/m/s.
    secs = int(d.total_seconds())
    if secs == 0:
        return "0s"
    if secs % 86400 == 0 and secs >= 2 * 86400:
        return f"{secs // 86400}d"
    h, m, s = secs // 3600, secs % 3600 // 60, secs % 60
    return "".join(f"{v}{u}" for v, u in ((h, "h"), (m, "m"), (s, "s")) if v)


OMITTED_WHEN_NONE = {"window", "message", "occurrence", "problem", "because", "next_allowed_start_limit", "not_counted"}


def _typed_as_json(value: Any) -> Any:
    """The typed objects written back as the decision JSON writes them."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            if f.name.startswith("_"):
                continue
            v = getattr(value, f.name)
            if v is None and f.name in OMITTED_WHEN_NONE:
                continue
            out[f.name] = _typed_as_json(v)
        return out
    if isinstance(value, list):
        return [_typed_as_json(v) for v in value]
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, timedelta):
        return _duration(value)
    return value


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["dir"])
def test_case(case: Dict[str, Any]) -> None:
    expected_path = _dir(case) / case["expected"]
    if not expected_path.exists():
        pytest.fail(f"{case['dir']}: no expected.json (bless it with core's corpus test first)")
    expected = _read(expected_path)
    want = json.loads(expected)
    try:
        policy, graph, change = _load(case)
        decision = policy.evaluate(change, graph)
    except changegate.Error as e:
        assert "error" in want, f"raised {e!r}, expected a decision"
        assert e.to_json() == expected
        assert e.to_dict() == want
        err = want["error"]
        assert e.kind == err["kind"]
        assert e.message == err["message"]
        if isinstance(e, changegate.PolicyError):
            assert err["kind"] == "policy"
            assert [dataclasses.asdict(d) for d in e.diagnostics] == err["diagnostics"]
            report = str(e)
            for d in e.diagnostics:
                assert d.message in report and d.file in report
        elif isinstance(e, changegate.InputError):
            assert err["kind"] == "input"
            assert (e.document, e.path, e.help) == (err["document"], err["path"], err["help"])
        elif isinstance(e, changegate.IoError):
            assert (e.path, e.help) == (err["path"], err["help"])
        else:
            assert isinstance(e, changegate.LimitError) and err["kind"] == "limit"
        return

    assert "error" not in want, f"expected an error, got {decision!r}"
    assert decision.to_json() == expected
    assert decision.to_dict() == want
    assert _typed_as_json(decision) == want
    assert changegate.Decision.from_json(expected) == decision
    # The same change as a dict gives the same bytes, and so do the same
    # policy files given as text.
    assert policy.evaluate(json.loads(change), graph).to_json() == expected
    in_memory = changegate.Policy.from_sources({name: _read(_dir(case) / name) for name in policy.files})
    assert in_memory.digest == policy.digest
    assert in_memory.evaluate(change, graph).to_json() == expected
    if decision.next_allowed_start is not None:
        assert decision.next_allowed_start.tzinfo is timezone.utc


CLI = REPO / "target" / "release" / "changegate"


@pytest.mark.skipif(not CLI.exists(), reason="the CLI is not built (make test-python builds it)")
@pytest.mark.parametrize("case", CASES, ids=lambda c: c["dir"])
def test_case_equals_the_cli(case: Dict[str, Any]) -> None:
    """`to_json()` is what `changegate check --format json` prints, byte for byte."""
    if case.get("imports"):
        pytest.skip("read from other tools' records: bindings/cli/tests/cli.rs runs these through --graph-from and the like")
    args = [str(CLI), "check", "--format", "json", "--change", case["change"]]
    args += ["--graph", case["graph"]]
    for p in case["policy"]:
        args += ["--policy", p]
    cli = subprocess.run(args, cwd=_dir(case), capture_output=True, timeout=60)
    try:
        policy, graph, change = _load(case)
        ours = policy.evaluate(change, graph)
    except changegate.Error as e:
        assert cli.returncode == 1, cli.stdout.decode()
        assert cli.stderr.decode("utf-8") == e.to_json()
        return
    assert cli.returncode == {"approved": 0, "pending": 2, "denied": 3}[ours.outcome], cli.stderr.decode()
    assert cli.stdout.decode("utf-8") == ours.to_json()
