"""The policy author's tools from Python: ``format_policy`` over the formatter's cases (core/tests/fmt), ``lint``
and ``run_tests`` against what ``changegate lint`` and ``changegate test`` print for the same inputs."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

import changegate
from conftest import REPO

FMT_CASES = sorted(p for p in (REPO / "core" / "tests" / "fmt").iterdir() if p.is_dir())
CLI = REPO / "target" / "release" / "changegate"
needs_cli = pytest.mark.skipif(not CLI.exists(), reason="the CLI is not built (make test-python builds it)")


def _cli_json(*args: str) -> Any:
    done = subprocess.run([str(CLI), *args, "--format", "json"], capture_output=True, cwd=REPO, check=False)
    assert done.returncode in (0, 1, 3), done.stderr.decode()
    return json.loads(done.stdout)


def _plain(value: Any) -> Any:
    """A result dataclass as the JSON it was read from (fields the JSON leaves out are ``None``)."""
    def drop(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: drop(x) for k, x in v.items() if x is not None and x != []}
        if isinstance(v, list):
            return [drop(x) for x in v]
        return v
    return drop(dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value)


@pytest.mark.parametrize("case", FMT_CASES, ids=[c.name for c in FMT_CASES])
def test_format_policy_gives_each_fmt_case(case: Path) -> None:
    text = (case / "input.gate").read_bytes().decode("utf-8")
    if (case / "error.json").exists():
        with pytest.raises(changegate.PolicyError) as info:
            changegate.format_policy(text, name="input.gate")
        assert info.value.to_json() == (case / "error.json").read_bytes().decode("utf-8")
        return
    want = (case / "output.gate").read_bytes().decode("utf-8")
    assert changegate.format_policy(text, name="input.gate") == want
    assert changegate.format_policy(want) == want


def test_format_policy_keeps_the_library_as_it_is() -> None:
    files = sorted((REPO / "policies").rglob("*.gate"))
    assert files
    for f in files:
        text = f.read_text("utf-8")
        assert changegate.format_policy(text, name=f.name) == text, f


def test_a_lone_surrogate_is_placed_not_raised_as_unicode_error() -> None:
    with pytest.raises(changegate.PolicyError) as info:
        changegate.format_policy('rule a {\n  require approval "\ud800"\n}\n')
    assert info.value.diagnostics[0].line == 2


def _library() -> Dict[str, str]:
    return {str(p.relative_to(REPO)): p.read_text("utf-8") for p in sorted((REPO / "policies").rglob("*.gate"))}


@needs_cli
def test_lint_finds_what_the_command_line_finds() -> None:
    fixture = REPO / "bindings" / "cli" / "tests" / "fixtures" / "lint"
    sources = {f"bindings/cli/tests/fixtures/lint/{p.name}": p.read_text("utf-8") for p in sorted(fixture.glob("*.gate"))}
    found = changegate.lint(sources)
    assert found, "the lint fixture has findings"
    assert all(isinstance(f, changegate.Finding) for f in found)
    cli = _cli_json("lint", "--policy", *sources, "--at", "2026-12-01T00:00:00Z")
    dated = {"window-never-occurs", "window-ended"}  # only with an instant to look from
    assert [_plain(f) for f in found] == [f for f in cli if f["name"] not in dated]


LINT_CASES = sorted(p for p in (REPO / "bindings" / "cli" / "tests" / "fixtures" / "lint" / "cases").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", LINT_CASES, ids=[c.name for c in LINT_CASES])
def test_lint_gives_each_lint_case(case: Path) -> None:
    """fixtures/lint/cases/README.md: ``fires.gate`` gives ``fires.json``, ``near-miss.gate`` nothing."""
    graph = json.loads((case / "graph.json").read_text("utf-8")) if (case / "graph.json").exists() else None
    changes = [(case / "change.json").read_text("utf-8")] if (case / "change.json").exists() else None
    def run(name: str, as_graph: Any = graph) -> List[Any]:
        found = changegate.lint({name: (case / name).read_text("utf-8")}, at="2026-12-01T00:00:00Z", graph=as_graph,
                                changes=changes)
        return [_plain(f) for f in found]
    want = json.loads((case / "fires.json").read_text("utf-8"))
    assert run("fires.gate") == want
    if graph is not None:  # a loaded Graph gives the same as its dict
        assert run("fires.gate", changegate.Graph.from_dict(graph)) == want
    assert run("near-miss.gate") == []


def test_lint_configuration_and_bad_requests() -> None:
    source = {"a.gate": 'let spare = targets\nrule r {\n  require approval "cab"\n}\n'}
    assert [f.severity for f in changegate.lint(source)] == ["warning"]
    assert [f.severity for f in changegate.lint(source, config={"lint": {"unused-let": "error"}})] == ["error"]
    assert changegate.lint(source, config={"unused-let": "off"}) == []
    bad = [({"config": {"unused-lets": "off"}}, "config.unused-lets", "did you mean `unused-let`?"),
           ({"at": "yesterday"}, "at", None), ({"changes": [{"id": 1}]}, "changes[0].id", None)]
    for kwargs, path, help in bad:
        with pytest.raises(changegate.InputError) as info:
            changegate.lint(source, **kwargs)
        assert (info.value.document, info.value.path) == ("lint", path)
        if help:
            assert help in (info.value.help or "")


def test_lint_of_the_library_is_clean_and_a_broken_policy_raises() -> None:
    assert changegate.lint(_library()) == []
    with pytest.raises(changegate.PolicyError) as info:
        changegate.lint({"broken.gate": "rule a {\n"})
    assert info.value.diagnostics[0].file == "broken.gate"


@needs_cli
def test_run_tests_reports_what_the_command_line_reports() -> None:
    report = changegate.run_tests("policies", base_dir=REPO, coverage=True)
    assert report.summary.failed == 0 and report.summary.errors == 0
    counted = sum(len(f.cases) for f in report.files)
    assert report.summary.passed + report.summary.skipped == counted > 0
    assert _plain(report) == _cli_json("test", "policies", "--coverage")


def test_run_tests_shows_a_failing_case_as_its_difference(tmp_path: Path) -> None:
    (tmp_path / "p.gate").write_text('rule cab {\n  require approval "cab"\n}\n', "utf-8")
    case: Dict[str, Any] = {"name": "needs cab", "change": {}, "expect": {"outcome": "approved"}}
    test: Dict[str, Any] = {
        "graph": {"nodes": [{"id": "db"}]},
        "base": {"id": "CHG1", "type": "normal", "targets": ["db"], "start": "2026-12-01T10:00:00Z",
                 "end": "2026-12-01T11:00:00Z"},
        "cases": [case, {"name": "other", "change": {}, "expect": {"outcome": "pending"}}],
    }
    (tmp_path / "p.test.json").write_text(json.dumps(test), "utf-8")
    report = changegate.run_tests([tmp_path])
    cases = report.files[0].cases
    assert [c.status for c in cases] == ["failed", "passed"]
    assert [(m.path, m.expected, m.actual) for m in cases[0].mismatches] == [("outcome", "approved", "pending")]
    assert report.summary.failed == 1 and report.summary.passed == 1
    only: List[str] = [c.name for f in changegate.run_tests([tmp_path], filter="other").files for c in f.cases]
    assert only == ["other"]


def test_run_tests_raises_for_a_path_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(changegate.IoError):
        changegate.run_tests(tmp_path / "missing")
