"""Decisions are lazy views of the engine's decision, and dict changes are read natively.

A decision holds the engine's own decision and builds each field the first
time it is read; these tests pin down what that must not change (the same
object on every read, the command line's bytes, threads, pickling,
dataclass helpers, decisions outliving their policy and graph) and that a
change given as a dict reads exactly as its JSON text does.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import gc
import json
import pickle
import threading
import types
from collections import OrderedDict
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List

import pytest

import changegate
from changegate import _native
from conftest import CHANGE, GRAPH, POLICY

# The engine's list, in the decision JSON's order.
FIELDS = list(_native.DECISION_FIELDS)


def test_fields_are_built_on_first_read_and_kept(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    d = policy.evaluate(change, graph)
    assert not any(name in vars(d) for name in FIELDS), "fields were built before being read"
    for name in FIELDS:
        first = getattr(d, name)
        assert name in vars(d)
        assert getattr(d, name) is first, name
    assert d.impact.impacted is d.impact.impacted
    assert d.impact.targets is d.impact.targets
    assert [f.name for f in dataclasses.fields(d)] == FIELDS


def test_to_json_is_the_same_before_and_after_reading_fields(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    text = policy.evaluate_json(json.dumps(change, default=lambda t: t.isoformat()), graph)
    fresh = policy.evaluate(change, graph)
    assert fresh.to_json() == text
    read = policy.evaluate(change, graph)
    for name in FIELDS:
        getattr(read, name)
    assert read.to_json() == text and read.to_json() is read.to_json()
    assert read == fresh and fresh == changegate.Decision.from_json(text)


def test_a_decision_outlives_its_policy_and_graph() -> None:
    def decide() -> changegate.Decision:
        policy = changegate.Policy.from_sources(POLICY)
        graph = changegate.Graph.from_dict(GRAPH)
        return policy.evaluate(CHANGE, graph)

    d = decide()
    impact = changegate.impact(changegate.Graph.from_dict(GRAPH), ["orders-db"])
    gc.collect()
    assert d.outcome == "denied"
    assert [n.path for n in d.impact.impacted][-1] == ["orders-db", "orders-api", "checkout-web"]
    assert json.loads(d.to_json())["impact"]["impacted"][2]["id"] == "checkout-web"
    assert [n.id for n in impact.impacted] == ["orders-db", "orders-api", "checkout-web"]


def test_threads_reading_one_decision_get_the_same_objects(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    for _ in range(20):
        d = policy.evaluate(change, graph)
        barrier = threading.Barrier(8)
        seen: List[List[Any]] = []

        def read() -> None:
            barrier.wait()
            seen.append([getattr(d, name) for name in FIELDS] + [d.impact.impacted, d.to_json()])

        threads = [threading.Thread(target=read) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(seen) == 8
        for values in seen[1:]:
            assert all(a is b for a, b in zip(values, seen[0]))


def test_pickle_copy_and_dataclass_helpers(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    d = policy.evaluate(change, graph)
    for again in (pickle.loads(pickle.dumps(d)), copy.copy(d), copy.deepcopy(d)):
        assert again == d and again.to_json() == d.to_json()
    assert dataclasses.is_dataclass(d)
    plain = dataclasses.asdict(d)
    assert plain["outcome"] == "denied" and plain["impact"]["targets"] == ["orders-db"]
    lifted = dataclasses.replace(d, outcome="approved")
    assert lifted.outcome == "approved" and lifted.approvals == d.approvals and lifted != d
    assert pickle.loads(pickle.dumps(lifted)) == lifted
    assert pickle.loads(pickle.dumps(d.impact)) == d.impact
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.outcome = "approved"  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(d)
    with pytest.raises(AttributeError):
        d.nope  # type: ignore[attr-defined]  # noqa: B018


def test_from_json_keeps_the_text_and_rejects_what_is_not_a_decision(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    text = policy.evaluate(change, graph).to_json()
    compact = json.dumps(json.loads(text))
    d = changegate.Decision.from_json(compact)
    assert d.to_json() == compact and d == policy.evaluate(change, graph)
    for bad in ["", "{}", '{"change": 1}', "[]"]:
        with pytest.raises(ValueError):
            changegate.Decision.from_json(bad)


def test_evaluate_many_returns_lazy_decisions(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    decisions = policy.evaluate_many([change] * 3, graph)
    assert all("approvals" not in vars(d) for d in decisions)
    assert decisions[0] == decisions[2] and decisions[0] is not decisions[2]
    assert decisions[1].to_json() == policy.evaluate(change, graph).to_json()


# ------------------------------------------------ changes given as mappings


def _decision_of(policy: changegate.Policy, graph: changegate.Graph, change: Any) -> str:
    try:
        return policy.evaluate(change, graph).to_json()
    except changegate.Error as e:
        return e.to_json()


class Color(str, enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -(2**63),
        2**64 - 1,
        2**70,
        -(2**70),
        1.5,
        1e16,
        -0.0,
        "é ☃ \u0000 \"q\"",
        Color.RED,
        Level.HIGH,
        (1, [2, (3,)]),
        {"nested": {"list": [1, {"x": None}]}},
        OrderedDict([("b", 1), ("a", 2)]),
        types.MappingProxyType({"k": "v"}),
    ],
)
def test_a_dict_reads_as_its_json_text(value: Any) -> None:
    doc = {"attributes": {"extra": value}}
    assert _native._change_value_for_tests(doc) == _native._change_value_for_tests(json.dumps(doc, default=dict))


def test_datetimes_are_written_in_utc_with_microseconds(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    start = datetime(2026, 12, 22, 9, 0, 0, 250, tzinfo=timezone(timedelta(hours=-5)))
    change["start"] = start
    as_text = dict(change, start="2026-12-22T14:00:00.000250Z")
    assert _decision_of(policy, graph, change) == _decision_of(policy, graph, as_text)


@pytest.mark.parametrize("depth", [1, 120, 125, 126, 127, 128, 129, 140])
def test_nesting_limit_is_the_same_for_a_dict_and_its_text(depth: int) -> None:
    deep: Any = 1
    for _ in range(depth):
        deep = [deep]
    doc = {"attributes": {"deep": deep}}
    try:
        by_text = _native._change_value_for_tests(json.dumps(doc))
    except ValueError as e:
        assert "recursion limit" in str(e)
        with pytest.raises(changegate.InputError, match="nested too deeply"):
            _native._change_value_for_tests(doc)
    else:
        assert _native._change_value_for_tests(doc) == by_text


def test_lone_surrogate_in_a_dict_names_its_field(
    policy: changegate.Policy, graph: changegate.Graph, change: Dict[str, Any]
) -> None:
    change["attributes"]["note"] = "ok \udc80"
    with pytest.raises(changegate.InputError) as info:
        policy.evaluate(change, graph)
    e = info.value
    assert (e.document, e.path) == ("change", "attributes.note")
    assert "lone surrogate `\\udc80` at character 3" in e.message
    with pytest.raises(changegate.InputError) as info:
        policy.evaluate_many([change, {"id": "\ud800"}], graph)
    assert info.value.index == 0
    with pytest.raises(changegate.InputError) as info:
        policy.evaluate('{"id": "\ud800"}', graph)
    assert info.value.path == "" and "at character 8" in info.value.message


def test_a_mapping_that_fails_raises_its_own_error(policy: changegate.Policy, graph: changegate.Graph) -> None:
    class Broken(dict):  # type: ignore[type-arg]
        pass

    class Odd:
        pass

    with pytest.raises(changegate.InputError, match="cannot write a Python `Odd`"):
        policy.evaluate({"id": Odd()}, graph)
    with pytest.raises(changegate.InputError, match="integer `.*` is out of range"):
        policy.evaluate({"attributes": {"x": 10**400}}, graph)
    assert policy.evaluate(Broken(CHANGE), graph).outcome == "denied"
