"""The decision (spec §4) as typed, read-only Python objects.

A :class:`Decision` returned by ``Policy.evaluate`` holds the engine's own
decision (a native object) and builds each field's typed objects the first
time the field is read, then keeps them: reading a field twice gives the
same object. ``Decision.to_json()`` is written by the engine, byte for byte
what the command line prints. :class:`Impact` works the same way. Times
become timezone-aware ``datetime`` objects in UTC, durations become
``timedelta``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Literal, Optional, Tuple, Type, TypeVar

from . import _native

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
    def _row(cls, r: Tuple[str, Optional[str], str, bool, bool, Optional[str], List[str]]) -> Backup:
        node, kind, within, verified, satisfied, taken_at, rules = r
        evidence = Evidence(_time(taken_at)) if taken_at is not None else None
        return cls(node, kind, _duration(within), verified, satisfied, evidence, rules)


@dataclass(frozen=True)
class Condition:
    """A precondition (``require ... else "MSG"``) and whether it holds."""

    message: str
    """What is required."""
    satisfied: bool
    """Whether it holds."""
    rules: List[str]
    """The rules behind it, sorted."""



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
    def _row(cls, r: Tuple[BlockKind, Optional[str], Optional[str], Optional[str], Optional[str], List[str]]) -> Block:
        kind, window, message, start, end, rules = r
        occurrence = Interval(_time(start), _time(end)) if start is not None and end is not None else None
        return cls(kind, window, message, occurrence, rules)


@dataclass(frozen=True)
class ImpactedNode:
    """One node of the blast radius."""

    id: str
    """The node's id."""
    depth: int
    """Distance from the nearest target (targets: 0)."""
    path: List[str]
    """One shortest path from a target to the node: why it is impacted."""


@dataclass(frozen=True, init=False, eq=False, repr=False)
class Impact:
    """The blast radius of a change's targets.

    Read-only; its fields are built from the engine's report when first read.
    """

    targets: List[str]
    """The targets, in the order given (duplicates collapsed)."""
    impacted: List[ImpactedNode]
    """Targets and every node that transitively depends on one, by depth then id."""

    def __init__(self, targets: List[str], impacted: List[ImpactedNode]) -> None:
        _set_fields(self, targets=targets, impacted=impacted)

    @classmethod
    def _lazy(cls, native: _native.Impact) -> Impact:
        return _wrap(cls, native)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            return _build_field(self, name, _IMPACT_FIELDS)

    @classmethod
    def from_json(cls, text: str) -> Impact:
        """Reads an impact report from its JSON; ``ValueError`` if it is not one."""
        return cls._lazy(_native.Impact.from_json(text))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _equal(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_restore, (type(self), _field_values(self)))

    def __repr__(self) -> str:
        return f"Impact(targets={self.targets!r}, impacted={[n.id for n in self.impacted]!r})"


_IMPACT_FIELDS: Dict[str, Callable[[_native.Impact], Any]] = {
    "targets": lambda n: n.targets,
    "impacted": lambda n: [ImpactedNode(i, d, p) for i, d, p in n.impacted],
}


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



@dataclass(frozen=True)
class Audit:
    """What made the decision."""

    policy_digest: str
    """``sha256:`` and the digest of the policy sources."""
    engine: str
    """``changegate`` and its version."""


@dataclass(frozen=True, init=False, eq=False, repr=False)
class Decision:
    """The result of checking one change against a policy and a graph.

    Read-only. Each field is built from the engine's decision the first time
    it is read (then kept), so a decision costs little until it is looked
    at. ``to_json()`` returns the decision JSON exactly as the command line
    prints it; ``to_dict()`` returns that JSON parsed into plain dicts, lists
    and strings. A decision stays valid after its policy and graph are gone.
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

    def __init__(
        self,
        change: str,
        outcome: Outcome,
        approvals: List[Approval],
        backups: List[Backup],
        conditions: List[Condition],
        blocks: List[Block],
        next_allowed_start: Optional[datetime],
        impact: Impact,
        overrides: List[Override],
        fired: List[Fired],
        audit: Audit,
        _json: str = "",
    ) -> None:
        # A decision built from its parts (as dataclasses.replace does); its
        # to_json() is `_json`, as given.
        _set_fields(
            self,
            change=change,
            outcome=outcome,
            approvals=approvals,
            backups=backups,
            conditions=conditions,
            blocks=blocks,
            next_allowed_start=next_allowed_start,
            impact=impact,
            overrides=overrides,
            fired=fired,
            audit=audit,
            _json=_json,
        )

    @classmethod
    def _lazy(cls, native: _native.Decision) -> Decision:
        return _wrap(cls, native)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            return _build_field(self, name, _DECISION_FIELDS)

    @classmethod
    def from_json(cls, text: str) -> Decision:
        """Reads a decision from its JSON (as ``to_json()`` or the command line writes it).

        ``to_json()`` then returns ``text`` unchanged. Raises ``ValueError``
        if ``text`` is not a decision JSON.
        """
        self = cls._lazy(_native.Decision.from_json(text))
        self.__dict__["_json"] = text
        return self

    @property
    def approved(self) -> bool:
        """Whether the outcome is ``approved``."""
        return self.outcome == "approved"

    def to_dict(self) -> Dict[str, Any]:
        """The decision JSON as plain dicts and lists (times as RFC 3339 strings)."""
        result: Dict[str, Any] = json.loads(self.to_json())
        return result

    def to_json(self) -> str:
        """The decision JSON, byte for byte as the command line prints it."""
        d = self.__dict__
        text: Optional[str] = d.get("_json")
        if text is None:
            native = d.get("_native")
            text = d.setdefault("_json", native.to_json() if native is not None else "")
        return text

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _equal(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Tuple[Any, ...]:
        if "_native" in self.__dict__:
            return (_from_json, (type(self), self.to_json()))
        return (_restore, (type(self), _field_values(self)))

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


def _next_allowed_start(n: _native.Decision) -> Optional[datetime]:
    text = n.next_allowed_start
    return _time(text) if text is not None else None


_DECISION_FIELDS: Dict[str, Callable[[_native.Decision], Any]] = {
    "change": lambda n: n.change,
    "outcome": lambda n: n.outcome,
    "approvals": lambda n: [Approval(*r) for r in n.approvals],
    "backups": lambda n: [Backup._row(r) for r in n.backups],
    "conditions": lambda n: [Condition(*r) for r in n.conditions],
    "blocks": lambda n: [Block._row(r) for r in n.blocks],
    "next_allowed_start": _next_allowed_start,
    "impact": lambda n: Impact._lazy(n.impact),
    "overrides": lambda n: [Override(*r) for r in n.overrides],
    "fired": lambda n: [Fired(*r) for r in n.fired],
    "audit": lambda n: Audit(*n.audit),
}

_T = TypeVar("_T")


def _wrap(cls: Type[_T], native: object) -> _T:
    """A lazy view of an engine value: its fields are built when first read."""
    obj = object.__new__(cls)
    obj.__dict__["_native"] = native
    return obj


def _build_field(obj: object, name: str, table: Dict[str, Callable[[Any], Any]]) -> Any:
    """Builds field ``name`` of a lazy view on first access (only then is an
    unset field looked up); ``setdefault`` keeps the first one built if
    threads race."""
    build = table.get(name)
    native = obj.__dict__.get("_native")
    if build is None or native is None:
        raise AttributeError(f"{type(obj).__name__!r} object has no attribute {name!r}")
    return obj.__dict__.setdefault(name, build(native))


def _set_fields(obj: object, **values: Any) -> None:
    obj.__dict__.update(values)


def _field_values(obj: object) -> Dict[str, Any]:
    values = {f.name: getattr(obj, f.name) for f in fields(obj)}  # type: ignore[arg-type]
    if "_json" in obj.__dict__:
        values["_json"] = obj.__dict__["_json"]
    return values


def _equal(a: object, b: object) -> bool:
    """Equal fields, as a dataclass compares; two engine-made values compare in the engine."""
    x, y = a.__dict__.get("_native"), b.__dict__.get("_native")
    if x is not None and y is not None:
        return bool(x == y)
    return all(getattr(a, f.name) == getattr(b, f.name) for f in fields(a))  # type: ignore[arg-type]


def _restore(cls: Type[_T], values: Dict[str, Any]) -> _T:
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


def _from_json(cls: Type[Decision], text: str) -> Decision:
    return cls.from_json(text)
