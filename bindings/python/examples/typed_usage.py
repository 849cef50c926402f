"""A typed script over the changegate API, checked with `mypy --strict`.

Run from the repository root:

    .venv/bin/python bindings/python/examples/typed_usage.py

It scores a small change calendar against the example policy library and
prints, for each change, what still stands between it and approval.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import changegate

ROOT = Path(__file__).resolve().parents[3]


def calendar() -> List[Dict[str, Any]]:
    """Three changes to orders-db, a week apart, the last one in the holiday freeze."""
    changes = []
    for week in range(3):
        start = datetime(2026, 12, 8, 14, 0, tzinfo=timezone.utc) + timedelta(weeks=week)
        changes.append(
            {
                "id": f"CHG-CAL-{week + 1}",
                "type": "normal",
                "targets": ["orders-db"],
                "start": start,
                "end": start + timedelta(hours=1),
                "requested_by": "carol",
                "approvals": [{"group": "cab", "by": "bob", "at": start - timedelta(days=1)}],
                "attributes": {"risk": "low", "backout_plan": "redeploy", "test_plan": "smoke"},
            }
        )
    return changes


def todo(decision: changegate.Decision) -> List[str]:
    """What still stands between a change and approval."""
    items: List[str] = []
    for a in decision.approvals:
        if not a.satisfied:
            items.append(f"{a.required - len(a.granted_by)} more approval(s) from {a.group}")
    for b in decision.backups:
        if not b.satisfied:
            hours = b.within.total_seconds() / 3600
            items.append(f"a {b.kind or 'any'} backup of {b.node} within {hours:g}h")
    items.extend(c.message for c in decision.conditions if not c.satisfied)
    for block in decision.blocks:
        what: Optional[str] = block.window if block.kind != "deny" else block.message
        items.append(f"blocked ({block.kind}): {what}")
    return items


def main() -> int:
    limits: changegate.Limits = {"max_graph_nodes": 50_000}
    policy = changegate.Policy.from_path("policies/", base_dir=ROOT)
    graph = changegate.Graph.from_file(ROOT / "policies" / "estate.json", limits=limits)
    try:
        decisions = policy.evaluate_many(calendar(), graph)
    except changegate.InputError as e:
        print(f"change #{e.index}: {e}", file=sys.stderr)
        return 1
    for d in decisions:
        nxt: Optional[datetime] = d.next_allowed_start
        when = f", next allowed start {nxt:%Y-%m-%d %H:%M} UTC" if nxt else ""
        print(f"{d.change}: {d.outcome}{when}")
        for item in todo(d):
            print(f"  - {item}")
    radius: changegate.ImpactReport = changegate.impact(graph, ["orders-db"])
    deepest: changegate.ImpactedNode = max(radius.impacted, key=lambda n: n.depth)
    print(f"orders-db blast radius: {len(radius.impacted)} nodes, e.g. {' -> '.join(deepest.path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
