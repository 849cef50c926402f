"""The Python API: inputs, typed results, errors, threads, batches, impact."""

from __future__ import annotations

import dataclasses
import json
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict

import pytest

import changegate
from changegate import _native
from conftest import GRAPH, POLICY, REPO

# ---------------------------------------------------------------- decisions


def test_typed_decision(policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]) -> None:
    d = policy.evaluate(change, graph)
    assert d.change == "CHG0031337"
    assert d.outcome == "denied" and not d.approved
    [cab] = d.approvals
    assert isinstance(cab, changegate.ApprovalCheck)
    assert (cab.group, cab.required, cab.granted_by, cab.satisfied, cab.rules) == (
        "cab",
        2,
        ["bob"],
        False,
        ["cab_review"],
    )
    [backup] = d.backups
    assert backup.within == timedelta(hours=24) and backup.verified and backup.satisfied
    assert backup.evidence == changegate.Evidence(datetime(2026, 12, 22, 10, tzinfo=timezone.utc))
    [cond] = d.conditions
    assert (cond.message, cond.satisfied) == ("a backout plan is required", True)
    [block] = d.blocks
    assert (block.kind, block.window, block.message) == ("during", "holiday_freeze", None)
    assert block.occurrence == changegate.Interval(
        datetime(2026, 12, 19, 5, tzinfo=timezone.utc), datetime(2027, 1, 4, 5, tzinfo=timezone.utc)
    )
    assert d.next_allowed_start == datetime(2027, 1, 4, 5, tzinfo=timezone.utc)
    assert d.next_allowed_start is not None and d.next_allowed_start.tzinfo is timezone.utc
    assert d.impact.targets == ["orders-db"]
    assert [(n.id, n.depth, n.path) for n in d.impact.impacted] == [
        ("orders-db", 0, ["orders-db"]),
        ("orders-api", 1, ["orders-db", "orders-api"]),
        ("checkout-web", 2, ["orders-db", "orders-api", "checkout-web"]),
    ]
    assert d.overrides == []
    assert [(f.rule, f.file, f.line) for f in d.fired][-1] == ("holiday_change_freeze", "freeze.gate", 3)
    assert d.fired[-1].because == "holiday change freeze"
    assert d.audit.policy_digest == policy.digest
    assert d.audit.engine == f"changegate {changegate.__version__}"
    assert d.to_dict()["next_allowed_start"] == "2027-01-04T05:00:00Z"
    assert d.to_json().endswith("}\n")
    assert json.loads(d.to_json()) == d.to_dict()


def test_override_and_approval_lift_the_decision(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    change["overrides"] = [{"rule": "holiday_change_freeze", "group": "cto", "by": "dana", "reason": "CVE"}]
    change["approvals"].append({"group": "cab", "by": "alice", "at": "2026-12-21T10:00:00Z"})
    d = policy.evaluate(change, graph)
    assert d.outcome == "approved" and d.approved
    assert d.blocks == [] and d.next_allowed_start is None
    [o] = d.overrides
    assert (o.rule, o.group, o.by, o.counted, o.problem) == ("holiday_change_freeze", "cto", "dana", True, None)


def test_json_text_and_bytes_give_the_same_bytes_as_a_dict(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    from_dict = policy.evaluate(change, graph).to_json()
    text = json.dumps(change, default=lambda t: t.isoformat())
    assert policy.evaluate(text, graph).to_json() == from_dict
    assert policy.evaluate(text.encode(), graph).to_json() == from_dict


def test_decision_repr_shows_what_matters(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    r = repr(policy.evaluate(change, graph))
    assert r.startswith("Decision(change='CHG0031337', outcome='denied'")
    assert "blocks=1" in r and "unmet_approvals=1" in r and "2027-01-04T05:00:00+00:00" in r


# ---------------------------------------------------------------- datetimes


def test_aware_datetimes_in_any_zone_are_the_same_instant(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    expected = policy.evaluate(change, graph).to_json()
    berlin = timezone(timedelta(hours=1))
    change["start"] = datetime(2026, 12, 22, 15, 0, tzinfo=berlin)
    change["end"] = "2026-12-22T10:00:00-05:00"
    change["backups"][0]["taken_at"] = datetime(2026, 12, 22, 2, 0, tzinfo=timezone(timedelta(hours=-8)))
    assert policy.evaluate(change, graph).to_json() == expected


def test_zoneinfo_datetimes(policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]) -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        ny = zoneinfo.ZoneInfo("America/New_York")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no IANA time zone database on this machine")
    change["start"] = datetime(2027, 1, 4, 0, 0, tzinfo=ny)  # the moment the freeze ends
    change["end"] = datetime(2027, 1, 4, 1, 0, tzinfo=ny)
    change["backups"][0]["taken_at"] = datetime(2027, 1, 3, 23, 0, tzinfo=ny)
    d = policy.evaluate(change, graph)
    assert d.blocks == []


def test_microseconds_survive(policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]) -> None:
    # A backup taken 1 µs after the start does not count; exactly at the start it does.
    start = change["start"]
    change["backups"][0]["taken_at"] = start + timedelta(microseconds=1)
    assert not policy.evaluate(change, graph).backups[0].satisfied
    change["backups"][0]["taken_at"] = start
    assert policy.evaluate(change, graph).backups[0].satisfied


def test_fractions_of_any_length_read_back(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    # The engine writes as many fraction digits as it needs (`.5`, `.123456789`);
    # each reads as an aware datetime, cut to microseconds, on every Python.
    for taken_at, micro in [(".5", 500000), (".123456789", 123456), ("", 0)]:
        change["backups"][0]["taken_at"] = f"2026-12-22T10:00:00{taken_at}Z"
        evidence = policy.evaluate(change, graph).backups[0].evidence
        assert evidence is not None
        assert evidence.taken_at == datetime(2026, 12, 22, 10, 0, 0, micro, tzinfo=timezone.utc)


def test_naive_datetime_is_an_error_that_says_so(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    change["start"] = datetime(2026, 12, 22, 14, 0)
    with pytest.raises(changegate.InputError) as info:
        policy.evaluate(change, graph)
    e = info.value
    assert (e.kind, e.document, e.path) == ("input", "change", "start")
    assert "naive datetime" in e.message and "no time zone" in e.message
    assert e.help is not None and "tzinfo" in e.help
    assert "invalid change" in str(e) and "`start`" in str(e) and "naive" in str(e)
    assert json.loads(e.to_json())["error"]["path"] == "start"


def test_naive_datetime_deep_in_the_change_names_its_path(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    change["approvals"][0]["at"] = datetime(2026, 12, 21, 9, 0)
    with pytest.raises(changegate.InputError, match="naive") as info:
        policy.evaluate(change, graph)
    assert info.value.path == "approvals[0].at"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "not a JSON number"),
        ({1, 2}, "cannot write a Python `set`"),
        (datetime(2026, 1, 1).date(), "date without a time"),
        ({1: "x"}, "is not a string"),
    ],
)
def test_values_that_are_not_json(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any], value: Any, message: str
) -> None:
    change["attributes"]["extra"] = [value]
    with pytest.raises(changegate.InputError, match=message) as info:
        policy.evaluate(change, graph)
    assert info.value.path.startswith("attributes.extra[0]")


def test_wrong_argument_types_are_type_errors(policy: changegate.Policy, graph: changegate.Graph) -> None:
    with pytest.raises(TypeError):
        policy.evaluate(42, graph)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        policy.evaluate("{}", GRAPH)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        changegate.Policy()
    with pytest.raises(TypeError):
        changegate.Graph()


# ---------------------------------------------------------------- errors


def test_policy_error_lists_every_problem_with_a_rendered_report() -> None:
    sources = {
        "a.gate": 'window w = betwen 2026-01-01T00:00 and 2026-01-02T00:00\n',
        "b.gate": 'rule r {\n  require approval "cab" count 0\n}\nrule r2 { deny during nowhere }\n',
    }
    with pytest.raises(changegate.PolicyError) as info:
        changegate.Policy.from_sources(sources)
    e = info.value
    assert isinstance(e, changegate.Error) and e.kind == "policy"
    assert len(e.diagnostics) >= 2
    first = e.diagnostics[0]
    assert isinstance(first, changegate.Diagnostic)
    assert (first.file, first.line, first.column) == ("a.gate", 1, 12)
    assert first.end_line == 1 and first.end_column > first.column
    assert "betwen" in first.message
    assert {d.file for d in e.diagnostics} == {"a.gate", "b.gate"}
    assert e.message == f"{len(e.diagnostics)} errors in the policy"
    report = str(e)
    # The rendered report: every message, with the offending source line.
    assert "window w = betwen" in report and "count 0" in report
    assert all(d.message in report for d in e.diagnostics)
    assert e.to_dict()["error"]["diagnostics"][0] == dataclasses.asdict(first)
    assert "PolicyError" in repr(e) and "a.gate:1:12" in repr(e)


def test_policy_error_from_files_names_them_as_given(tmp_path: Path) -> None:
    (tmp_path / "a.gate").write_text('rule review {\n  require approval "cab"\n}\n')
    (tmp_path / "b.gate").write_text('rule review {\n  require approval "dba"\n}\n')
    with pytest.raises(changegate.PolicyError) as info:
        changegate.Policy.from_path(["a.gate", "b.gate"], base_dir=tmp_path)
    [d] = info.value.diagnostics
    assert (d.file, d.line, d.column, d.end_line, d.end_column) == ("b.gate", 1, 6, 1, 12)
    assert d.message == "`review` is defined twice"
    assert d.help is not None and "a.gate:1" in d.help
    assert dataclasses.asdict(d).keys() == {"file", "line", "column", "end_line", "end_column", "message", "help"}
    report = str(info.value)
    assert "b.gate" in report and "rule review {" in report and d.help in report


def test_input_errors_name_the_field(policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]) -> None:
    change["targets"] = ["orders-db", "orders-api", "ordres-db"]
    with pytest.raises(changegate.InputError) as info:
        policy.evaluate(change, graph)
    e = info.value
    assert (e.document, e.path) == ("change", "targets[2]")
    assert "ordres-db" in e.message and e.help == "did you mean `orders-db`?"
    assert str(e).startswith("invalid change: ") and "help: did you mean" in str(e)
    assert "targets[2]" in repr(e)

    change["targets"] = ["orders-db"]
    change["backups"][0]["verifed"] = True
    with pytest.raises(changegate.InputError) as info:
        policy.evaluate(change, graph)
    assert info.value.path == "backups[0].verifed" and info.value.help == "did you mean `verified`?"


def test_graph_errors() -> None:
    bad = {"nodes": [{"id": "a"}, {"id": "b", "tier": "1"}]}
    with pytest.raises(changegate.InputError) as info:
        changegate.Graph.from_dict(bad)
    assert (info.value.document, info.value.path) == ("graph", "nodes[1].tier")
    with pytest.raises(changegate.InputError) as info:
        changegate.Graph.from_json("{not json")
    assert info.value.document == "graph" and info.value.path == ""
    with pytest.raises(changegate.InputError):
        changegate.Graph.from_json(b"\xff\xfe")


def test_io_errors(tmp_path: Path) -> None:
    with pytest.raises(changegate.IoError) as info:
        changegate.Policy.from_path(tmp_path / "missing")
    assert info.value.kind == "io" and info.value.path.endswith("missing")
    assert info.value.message == "no such file or directory"
    with pytest.raises(changegate.IoError, match="no `.gate` files"):
        changegate.Policy.from_path(tmp_path)
    with pytest.raises(changegate.IoError) as info:
        changegate.Graph.from_file(tmp_path / "graph.json")
    assert info.value.path == str(tmp_path / "graph.json") and "no such file" in info.value.message


def test_errors_pickle(policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]) -> None:
    change["targets"] = ["nope"]
    with pytest.raises(changegate.InputError) as info:
        policy.evaluate(change, graph)
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is changegate.InputError
    assert (again.path, again.to_json(), str(again)) == (info.value.path, info.value.to_json(), str(info.value))


def test_a_panic_is_a_changegate_error_not_a_panic_exception() -> None:
    with pytest.raises(changegate.Error) as info:
        _native._panic_for_tests()
    assert type(info.value) is changegate.Error
    assert info.value.kind == "internal" and "a deliberate panic" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "null",
        "[]",
        '{"id": 1}',
        '{"id": "x", "type": "normal", "targets": [], "start": "2026-01-01T00:00:00Z", "end": "2026-01-01T01:00:00Z"}',
        '{"id": "x", "type": "normal", "targets": ["orders-db"], "start": "2026-01-01T00:00:00Z", "end": "x"}',
        "[" * 100_000,
        '{"id": "' + "x" * 1_000_000 + '"}',
        '{"id": 1e999999}',
        '{"id": 123456789012345678901234567890}',
    ],
)
def test_hostile_changes_only_raise_changegate_errors(
    policy: changegate.Policy, graph: changegate.Graph, text: str
) -> None:
    with pytest.raises(changegate.InputError):
        policy.evaluate(text, graph)


def test_deeply_nested_dict_is_an_input_error(policy: changegate.Policy, graph: changegate.Graph) -> None:
    deep: Dict[str, Any] = {}
    cur = deep
    for _ in range(100_000):
        cur["a"] = {}
        cur = cur["a"]
    with pytest.raises(changegate.InputError):
        policy.evaluate({"attributes": deep}, graph)


# ---------------------------------------------------------------- threads


def test_evaluate_from_eight_threads(policy: changegate.Policy, graph: changegate.Graph) -> None:
    changes = []
    for i in range(64):
        start = datetime(2026, 12, 1, tzinfo=timezone.utc) + timedelta(days=i)
        changes.append(
            {
                "id": f"CHG{i:04}",
                "type": ["standard", "normal", "emergency"][i % 3],
                "targets": [["orders-db"], ["orders-api"], ["checkout-web", "orders-db"]][i % 3],
                "start": start,
                "end": start + timedelta(hours=2),
                "requested_by": "carol",
            }
        )
    serial = [policy.evaluate(c, graph).to_json() for c in changes]
    barrier = threading.Barrier(8)

    def work(k: int) -> list[str]:
        barrier.wait()
        return [policy.evaluate(c, graph).to_json() for c in changes[k:] + changes[:k]]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    for k, result in enumerate(results):
        assert result == serial[k:] + serial[:k]


def test_evaluation_releases_the_gil(policy: changegate.Policy, graph: changegate.Graph) -> None:
    # While a worker thread is inside the native call, the main thread must
    # get to run Python code: it can only if the call released the GIL.
    change = json.dumps(
        {
            "id": "CHG1",
            "type": "normal",
            "targets": ["orders-db"],
            "start": "2026-12-22T14:00:00Z",
            "end": "2026-12-22T15:00:00Z",
        }
    )
    native_policy, native_graph = policy, graph
    evaluate_many = native_policy.evaluate_many
    t0 = time.perf_counter()
    evaluate_many([change] * 100, native_graph)
    per_change = (time.perf_counter() - t0) / 100
    batch = [change] * max(100, int(0.05 / max(per_change, 1e-7)))  # about 50 ms per call

    calls: list[tuple[float, float]] = []

    def worker() -> None:
        for _ in range(4):
            start = time.perf_counter()
            evaluate_many(batch, native_graph)
            calls.append((start, time.perf_counter()))

    stamps: list[float] = []
    thread = threading.Thread(target=worker)
    thread.start()
    while thread.is_alive():
        stamps.append(time.perf_counter())
        time.sleep(0.001)
    thread.join()
    # Away from the ends of each call: without the GIL released the main
    # thread could only slip in just before or just after the native code.
    inside = [s for s in stamps for (a, b) in calls if a + (b - a) / 5 < s < b - (b - a) / 5]
    assert inside, "the main thread never ran while the worker was evaluating"


# ---------------------------------------------------------------- batches


def test_evaluate_many(policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]) -> None:
    other = dict(change, id="CHG2", type="emergency")
    decisions = policy.evaluate_many([change, json.dumps(other, default=str), other], graph)
    assert [d.change for d in decisions] == ["CHG0031337", "CHG2", "CHG2"]
    assert [d.to_json() for d in decisions] == [
        policy.evaluate(change, graph).to_json(),
        policy.evaluate(other, graph).to_json(),
        policy.evaluate(other, graph).to_json(),
    ]
    assert decisions[1].outcome != "denied"  # emergencies are exempt from the freeze
    assert policy.evaluate_many([], graph) == []
    assert len(policy.evaluate_many((change for _ in range(3)), graph)) == 3


def test_evaluate_many_names_the_failing_change(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    bad = dict(change, targets=["nope"])
    with pytest.raises(changegate.InputError) as info:
        policy.evaluate_many([change, change, bad, change], graph)
    assert info.value.index == 2 and info.value.path == "targets[0]"
    naive = dict(change, start=datetime(2026, 1, 1))
    with pytest.raises(changegate.InputError) as info:
        policy.evaluate_many([change, naive], graph)
    assert info.value.index == 1 and info.value.path == "start"
    with pytest.raises(changegate.InputError) as info:
        policy.evaluate(bad, graph)
    assert info.value.index is None


def test_evaluate_many_on_threads_agrees_with_one_at_a_time(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    # Enough changes that every thread gets several, failing ones among them.
    kinds = ["normal", "emergency", "standard"]
    batch = [dict(change, id=f"CHG{i}", type=kinds[i % 3]) for i in range(60)]
    alone = [policy.evaluate(c, graph).to_json() for c in batch]
    for threads in (1, 2, 0):
        decisions = policy.evaluate_many(batch, graph, threads=threads)
        assert [d.to_json() for d in decisions] == alone
    bad = dict(change, targets=["nope"])
    for threads in (1, 2, 0):
        with pytest.raises(changegate.InputError) as info:
            policy.evaluate_many(batch[:40] + [bad] + batch[40:] + [bad], graph, threads=threads)
        assert info.value.index == 40 and info.value.path == "targets[0]"


# ---------------------------------------------------------------- impact


def test_impact(graph: changegate.Graph) -> None:
    report = changegate.impact(graph, ["orders-db"])
    assert isinstance(report, changegate.ImpactReport)
    assert report.targets == ["orders-db"]
    assert [(n.id, n.depth, n.path) for n in report.impacted] == [
        ("orders-db", 0, ["orders-db"]),
        ("orders-api", 1, ["orders-db", "orders-api"]),
        ("checkout-web", 2, ["orders-db", "orders-api", "checkout-web"]),
    ]
    assert changegate.impact(graph, "orders-api").targets == ["orders-api"]
    assert changegate.impact(graph, ["orders-api", "orders-api"]).targets == ["orders-api"]
    assert "checkout-web" in repr(changegate.impact(graph, ["orders-api"]))


def test_impact_errors(graph: changegate.Graph) -> None:
    with pytest.raises(changegate.InputError) as info:
        changegate.impact(graph, ["orders-db", "orders-apj"])
    assert (info.value.path, info.value.help) == ("targets[1]", "did you mean `orders-api`?")
    with pytest.raises(changegate.InputError) as info:
        changegate.impact(graph, [])
    assert info.value.path == "targets"


# ---------------------------------------------------------------- objects


def test_policy_and_graph_objects(tmp_path: Path) -> None:
    policy = changegate.Policy.from_sources(POLICY)
    assert policy.files == ["freeze.gate", "approvals.gate"]
    assert policy.rules == sorted(policy.rules)
    assert "cab_review" in policy.rules
    assert policy.digest.startswith("sha256:") and len(policy.digest) == 7 + 64
    # The digest does not depend on names or order.
    assert changegate.Policy.from_sources(reversed(list(POLICY.items()))).digest == policy.digest
    r = repr(policy)
    assert "freeze.gate" in r and "rules=4" in r and "sha256:" in r
    with pytest.raises(AttributeError):
        policy.x = 1  # type: ignore[attr-defined]

    for name, text in POLICY.items():
        (tmp_path / "sub").mkdir(exist_ok=True)
        (tmp_path / "sub" / name).write_text(text)
    from_dir = changegate.Policy.from_path("sub", base_dir=tmp_path)
    assert from_dir.files == ["sub/approvals.gate", "sub/freeze.gate"]
    assert from_dir.digest == policy.digest
    assert changegate.Policy.from_path([tmp_path / "sub" / "freeze.gate"]).rules == ["holiday_change_freeze"]

    graph = changegate.Graph.from_dict(GRAPH)
    assert len(graph) == 3 and graph.edge_count == 2
    assert "orders-db" in graph and "nope" not in graph and 3 not in graph
    assert repr(graph) == "Graph(nodes=3, edges=2)"
    (tmp_path / "g.json").write_text(json.dumps(GRAPH))
    assert repr(changegate.Graph.from_file(tmp_path / "g.json")) == repr(graph)
    with pytest.raises(AttributeError):
        graph.x = 1  # type: ignore[attr-defined]


def test_version_comes_from_cargo() -> None:
    tomllib = pytest.importorskip("tomllib")
    cargo = tomllib.loads((REPO / "Cargo.toml").read_text())
    assert changegate.__version__ == cargo["workspace"]["package"]["version"]


def test_every_public_name_has_a_docstring() -> None:
    for name in changegate.__all__:
        obj = getattr(changegate, name)
        if name in {"__version__", "StrPath", "ChangeInput", "Outcome", "BlockKind"}:
            continue
        assert obj.__doc__ and obj.__doc__.strip(), name
        for attr, member in vars(obj).items() if isinstance(obj, type) else []:
            if not attr.startswith("_") and callable(getattr(member, "__func__", member)):
                assert getattr(obj, attr).__doc__, f"{name}.{attr}"


# ---------------------------------------------------------------- every operation, every host


def test_limits_are_taken_by_every_compile_and_load(tmp_path: Path) -> None:
    with pytest.raises(changegate.InputError) as info:
        changegate.Graph.from_dict(GRAPH, limits={"max_graph_nodes": 2})
    assert info.value.document == "graph" and "2" in info.value.message
    (tmp_path / "g.json").write_text(json.dumps(GRAPH))
    for load in (
        lambda: changegate.Graph.from_json(json.dumps(GRAPH), limits={"max_graph_edges": 1}),
        lambda: changegate.Graph.from_file(tmp_path / "g.json", limits={"max_graph_edges": 1}),
    ):
        with pytest.raises(changegate.InputError):
            load()
    with pytest.raises(changegate.PolicyError):
        changegate.Policy.from_sources(POLICY, limits={"max_source_bytes": 10})
    (tmp_path / "p.gate").write_text(POLICY["freeze.gate"])
    with pytest.raises(changegate.PolicyError):
        changegate.Policy.from_path("p.gate", base_dir=tmp_path, limits={"max_source_bytes": 10})
    assert changegate.Policy.from_sources(POLICY, limits={"max_source_bytes": 10_000}).rules
    with pytest.raises(changegate.InputError) as info:
        changegate.Graph.from_dict(GRAPH, limits={"max_graph_nodez": 2})  # type: ignore[typeddict-unknown-key]
    assert info.value.document == "limits" and info.value.help is not None and "max_graph_nodes" in info.value.help


def test_a_policy_limits_its_evaluations(graph: changegate.Graph, change: Dict[str, Any]) -> None:
    small = changegate.Policy.from_sources(POLICY, limits={"max_input_bytes": 10})
    with pytest.raises(changegate.InputError) as info:
        small.evaluate(json.dumps(change, default=str), graph)
    assert info.value.document == "change" and info.value.path == ""


def test_evaluate_json_is_the_decision_json(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    text = json.dumps(change, default=lambda t: t.isoformat())
    assert policy.evaluate_json(text, graph) == policy.evaluate(change, graph).to_json()
    assert policy.evaluate_json(text.encode(), graph) == policy.evaluate(text, graph).to_json()
    with pytest.raises(TypeError):
        policy.evaluate_json(change, graph)  # type: ignore[arg-type]


def test_validate_lists_problems_without_raising() -> None:
    assert changegate.validate(POLICY) == []
    [d] = changegate.validate({"a.gate": 'rule r {\n  require approval "cab" count 0\n}\n'})
    assert isinstance(d, changegate.Diagnostic) and (d.file, d.line) == ("a.gate", 2)
    [d] = changegate.validate([("b.gate", 'rule r { require approval "c\ud800" }')])
    assert (d.file, d.line, d.column) == ("b.gate", 1, 29) and "surrogate" in d.message


def test_window_time_zone_and_graph_nodes(policy: changegate.Policy, graph: changegate.Graph) -> None:
    assert policy.window_time_zone("holiday_freeze") == "America/New_York"
    assert policy.window_time_zone("nope") is None
    nodes = graph.nodes()
    assert [n["id"] for n in nodes] == ["orders-db", "orders-api", "checkout-web"]
    assert nodes[1] == {
        "id": "orders-api", "kind": "service", "tier": 1, "owner": "team-orders", "tags": [], "depends_on": ["orders-db"]
    }  # fmt: skip
    assert nodes[2]["depends_on"] == ["orders-api"]


def test_a_graph_dict_is_read_as_its_text() -> None:
    bad = {"nodes": [{"id": "a", "attributes": {"since": datetime(2026, 1, 1)}}]}
    with pytest.raises(changegate.InputError, match="naive") as info:
        changegate.Graph.from_dict(bad)
    assert (info.value.document, info.value.path) == ("graph", "nodes[0].attributes.since")
    aware = {"nodes": [{"id": "a", "attributes": {"since": datetime(2026, 1, 1, tzinfo=timezone.utc)}}]}
    assert len(changegate.Graph.from_dict(aware)) == 1


def test_errors_carry_the_engine_report(policy: changegate.Policy, graph: changegate.Graph) -> None:
    with pytest.raises(changegate.InputError) as info:
        changegate.impact(graph, ["orders-db", "nope"])
    report = info.value.report
    assert isinstance(report, changegate.ErrorReport)
    assert (report.kind, report.document, report.path, report.diagnostics) == ("input", "change", "targets[1]", [])
    assert not hasattr(changegate.LimitError, "path")
