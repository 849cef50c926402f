"""Shared fixtures: a small policy, graph and change for the API tests."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict

import pytest

import changegate

REPO = Path(__file__).resolve().parents[3]

POLICY = {
    "freeze.gate": """\
window holiday_freeze = between 2026-12-19T00:00 and 2027-01-04T00:00 in "America/New_York"

rule holiday_change_freeze {
  unless change.type == "emergency"
  deny during holiday_freeze
  because "holiday change freeze"
  override by "cto"
}
""",
    "approvals.gate": """\
rule cab_review {
  when any(impacted, node.tier == 0)
  require approval "cab" count 2
}

rule schema_backup {
  require verified backup of targets kind "snapshot" within 24h
}

rule backout_plan {
  require change.backout_plan != null else "a backout plan is required"
}
""",
}

GRAPH: Dict[str, Any] = {
    "nodes": [
        {"id": "orders-db", "kind": "database", "tier": 0, "owner": "team-dba"},
        {"id": "orders-api", "kind": "service", "tier": 1, "owner": "team-orders", "depends_on": ["orders-db"]},
        {"id": "checkout-web", "kind": "service", "tier": 1, "owner": "team-web"},
    ],
    "edges": [{"from": "checkout-web", "to": "orders-api"}],
}

CHANGE: Dict[str, Any] = {
    "id": "CHG0031337",
    "type": "normal",
    "targets": ["orders-db"],
    "start": datetime(2026, 12, 22, 14, 0, tzinfo=timezone.utc),
    "end": datetime(2026, 12, 22, 15, 0, tzinfo=timezone.utc),
    "requested_by": "carol",
    "approvals": [{"group": "cab", "by": "bob", "at": datetime(2026, 12, 21, 9, 0, tzinfo=timezone.utc)}],
    "backups": [
        {
            "resource": "orders-db",
            "kind": "snapshot",
            "taken_at": datetime(2026, 12, 22, 10, 0, tzinfo=timezone.utc),
            "verified": True,
        }
    ],
    "attributes": {"backout_plan": "restore snapshot"},
}


@pytest.fixture(scope="session")
def policy() -> changegate.Policy:
    return changegate.Policy.from_sources(POLICY)


@pytest.fixture(scope="session")
def graph() -> changegate.Graph:
    return changegate.Graph.from_dict(GRAPH)


@pytest.fixture
def change() -> Dict[str, Any]:
    return copy.deepcopy(CHANGE)
