"""The decision (spec §4) as typed, read-only Python objects.

Every object is parsed from core's decision JSON; ``Decision.to_json()``
returns those bytes unchanged. Times become timezone-aware ``datetime``
objects in UTC, durations become ``timedelta``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Literal, Optional

__all__ = [
    "Approval",
    "Audit",
    "Backup",
    "Block",
    "BlockKind",
    "Condition",
    "Decision",
    "Evidence",
    "Fired",
    "Impact",
    "ImpactedNode",
    "Interval",
    "Outcome",
    "Override",
]

Outcome = Literal["approved", "pending", "denied"]
"""The verdict: ``denied`` > ``pending`` > ``approved``."""

BlockKind = Literal["during", "outside", "deny"]
"""What kind of rule blocks a change."""

_TIMESTAMP = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z$")
_DURATION = re.compile(r"^(-)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def _time(text: str) -> datetime:
    """Parses an RFC 3339 UTC time as the decision writes it (``...Z``)."""
    m = _TIMESTAMP.match(text)
    if m is None:
        raise ValueError(f"not an RFC 3339 UTC time: {text!r}")
    y, mo, d, h, mi, s, frac = m.groups()
    micro = int((frac or "0").ljust(6, "0")[:6])
    return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micro, tzinfo=timezone.utc)


def _duration(text: str) -> timedelta:
    """Parses a duration as the decision writes it (``24h``, ``7d``, ``2h30m``)."""
    m = _DURATION.match(text)
    if m is None or not any(m.groups()[1:]):
        raise ValueError(f"not a duration: {text!r}")
    sign, w, d, h, mi, s = m.groups()
    delta = timedelta(
        weeks=int(w or 0), days=int(d or 0), hours=int(h or 0), minutes=int(mi or 0), seconds=int(s or 0)
    )
    return -delta if sign else delta


@dataclass(frozen=True)
class Approval:
    """An approval requirement and how far it is met."""

    group: str
    """The approving group."""
    required: int
    """Distinct approvers needed (the largest count any rule asked)."""
    granted_by: List[str]
    """The distinct people who approved and count (never the requester), sorted."""
    satisfied: bool
    """Whether enough people approved."""
    rules: List[str]
    """The rules behind the requirement, sorted."""

    @classmethod
    def _parse(cls, d: Dict[str, Any]) -> Approval:
        return cls(d["group"], d["required"], list(d["granted_by"]), d["satisfied"], list(d["rules"]))


@dataclass(frozen=True)
class Evidence:
    """The backup that satisfies a requirement."""

    taken_at: datetime
    """When it was taken (aware, UTC)."""


@dataclass(frozen=True)
class Backup:
    """A backup requirement for one node."""

    node: str
    """The node to back up."""
    kind: Optional[str]
    """The kind of backup required; ``None`` for any kind."""
    within: timedelta
    """How recent the backup must be, before the change's start."""
    verified: bool
    """Whether the backup must be verified."""
    satisfied: bool
    """Whether a backup satisfies the requirement."""
    evidence: Optional[Evidence]
    """The most recent backup that satisfies it, if any."""
    rules: List[str]
    """The rules behind the requirement, sorted."""

    @classmethod
    def _parse(cls, d: Dict[str, Any]) -> Backup:
        ev = d.get("evidence")
        return cls(
            d["node"],
            d.get("kind"),
            _duration(d["within"]),
            d["verified"],
            d["satisfied"],
            Evidence(_time(ev["taken_at"])) if ev else None,
            list(d["rules"]),
        )


@dataclass(frozen=True)
class Condition:
    """A precondition (``require ... else "MSG"``) and whether it holds."""

    message: str
    """What is required."""
    satisfied: bool
    """Whether it holds."""
    rules: List[str]
    """The rules behind it, sorted."""

    @classmethod
    def _parse(cls, d: Dict[str, Any]) -> Condition:
        return cls(d["message"], d["satisfied"], list(d["rules"]))


@dataclass(frozen=True)
class Interval:
    """A half-open interval of time, aware datetimes in UTC."""

    start: datetime
    """Inclusive start."""
    end: datetime
    """Exclusive end."""


@dataclass(frozen=True)
class Block:
    """Something that blocks the change."""

    kind: BlockKind
    """``during``, ``outside`` or ``deny``."""
    window: Optional[str]
    """The window, for ``during`` and ``outside``."""
    message: Optional[str]
    """The message, for ``deny``."""
    occurrence: Optional[Interval]
    """For ``during``: the first occurrence of the window that overlaps the change."""
    rules: List[str]
    """The rules behind it, sorted."""

    @classmethod
    def _parse(cls, d: Dict[str, Any]) -> Block:
        occ = d.get("occurrence")
        return cls(
            d["kind"],
            d.get("window"),
            d.get("message"),
            Interval(_time(occ["start"]), _time(occ["end"])) if occ else None,
            list(d["rules"]),
        )


@dataclass(frozen=True)
class ImpactedNode:
    """One node of the blast radius."""

    id: str
    """The node's id."""
    depth: int
    """Distance from the nearest target (targets: 0)."""
    path: List[str]
    """One shortest path from a target to the node: why it is impacted."""


@dataclass(frozen=True)
class Impact:
    """The blast radius of a change's targets."""

    targets: List[str]
    """The targets, in the order given (duplicates collapsed)."""
    impacted: List[ImpactedNode]
    """Targets and every node that transitively depends on one, by depth then id."""

    @classmethod
    def _parse(cls, d: Dict[str, Any]) -> Impact:
        return cls(
            list(d["targets"]),
            [ImpactedNode(n["id"], n["depth"], list(n["path"])) for n in d["impacted"]],
        )

    @classmethod
    def from_json(cls, text: str) -> Impact:
        """Reads an impact report from its JSON."""
        return cls._parse(json.loads(text))

    def __repr__(self) -> str:
        return f"Impact(targets={self.targets!r}, impacted={[n.id for n in self.impacted]!r})"


@dataclass(frozen=True)
class Override:
    """A break-glass override the change carries, and whether it counted."""

    rule: str
    """The rule it names."""
    group: str
    """The group it invokes."""
    by: str
    """Who broke the glass."""
    reason: str
    """Why."""
    counted: bool
    """Whether it counted (and lifted the rule)."""
    problem: Optional[str]
    """Why it was rejected, when it was."""

    @classmethod
    def _parse(cls, d: Dict[str, Any]) -> Override:
        return cls(d["rule"], d["group"], d["by"], d["reason"], d["counted"], d.get("problem"))


@dataclass(frozen=True)
class Fired:
    """A rule whose conditions held."""

    rule: str
    """The rule's name."""
    file: str
    """The policy file it is in, as named when the policy was loaded."""
    line: int
    """The line of its name."""
    because: Optional[str]
    """Its ``because`` text, if it has one."""

    @classmethod
    def _parse(cls, d: Dict[str, Any]) -> Fired:
        return cls(d["rule"], d["file"], d["line"], d.get("because"))


@dataclass(frozen=True)
class Audit:
    """What made the decision."""

    policy_digest: str
    """``sha256:`` and the digest of the policy sources."""
    engine: str
    """``changegate`` and its version."""


@dataclass(frozen=True, repr=False)
class Decision:
    """The result of checking one change against a policy and a graph.

    Read-only. ``to_json()`` returns the decision JSON exactly as the command
    line prints it; ``to_dict()`` returns that JSON parsed into plain dicts,
    lists and strings.
    """

    change: str
    """The change's id."""
    outcome: Outcome
    """``approved``, ``pending`` or ``denied``."""
    approvals: List[Approval]
    """One entry per required approval group, sorted by group."""
    backups: List[Backup]
    """One entry per required backup (node and kind), sorted by node then kind."""
    conditions: List[Condition]
    """Preconditions and other unmet facts, sorted by message."""
    blocks: List[Block]
    """What blocks the change, sorted by kind then window or message."""
    next_allowed_start: Optional[datetime]
    """When the change could start instead (aware, UTC), if windows alone deny it."""
    impact: Impact
    """The blast radius."""
    overrides: List[Override]
    """Every override the change carries, counted or rejected."""
    fired: List[Fired]
    """Every rule whose conditions held, sorted by file and line."""
    audit: Audit
    """The policy digest and engine version that made the decision."""
    _json: str = field(default="", compare=False)

    @classmethod
    def from_json(cls, text: str) -> Decision:
        """Reads a decision from its JSON (as ``to_json()`` or the command line writes it)."""
        d = json.loads(text)
        nas = d.get("next_allowed_start")
        return cls(
            change=d["change"],
            outcome=d["outcome"],
            approvals=[Approval._parse(a) for a in d["approvals"]],
            backups=[Backup._parse(b) for b in d["backups"]],
            conditions=[Condition._parse(c) for c in d["conditions"]],
            blocks=[Block._parse(b) for b in d["blocks"]],
            next_allowed_start=_time(nas) if nas else None,
            impact=Impact._parse(d["impact"]),
            overrides=[Override._parse(o) for o in d["overrides"]],
            fired=[Fired._parse(f) for f in d["fired"]],
            audit=Audit(d["audit"]["policy_digest"], d["audit"]["engine"]),
            _json=text,
        )

    @property
    def approved(self) -> bool:
        """Whether the outcome is ``approved``."""
        return self.outcome == "approved"

    def to_dict(self) -> Dict[str, Any]:
        """The decision JSON as plain dicts and lists (times as RFC 3339 strings)."""
        result: Dict[str, Any] = json.loads(self._json)
        return result

    def to_json(self) -> str:
        """The decision JSON, byte for byte as the command line prints it."""
        return self._json

    def __repr__(self) -> str:
        unmet = sum(not a.satisfied for a in self.approvals)
        parts = [f"change={self.change!r}", f"outcome={self.outcome!r}"]
        if self.blocks:
            parts.append(f"blocks={len(self.blocks)}")
        if unmet:
            parts.append(f"unmet_approvals={unmet}")
        missing = sum(not b.satisfied for b in self.backups) + sum(not c.satisfied for c in self.conditions)
        if missing:
            parts.append(f"unmet_requirements={missing}")
        if self.next_allowed_start is not None:
            parts.append(f"next_allowed_start={self.next_allowed_start.isoformat()!r}")
        return f"Decision({', '.join(parts)})"
