"""changegate: check a change against change policies, from Python.

Compile a policy once, load the dependency graph once, then evaluate any
number of changes; ``Policy`` and ``Graph`` are immutable and safe to share
between threads, and evaluation releases the GIL::

    import changegate

    policy = changegate.Policy.from_path("policies/")
    graph = changegate.Graph.from_file("policies/estate.json")
    decision = policy.evaluate(change, graph)   # a dict or JSON text
    if decision.outcome != "approved":
        print(decision.to_json())

Every error is a :class:`changegate.Error`: :class:`PolicyError` (with
``diagnostics``), :class:`InputError` (with ``document`` and ``path``),
:class:`IoError` or :class:`LimitError`.
"""

from __future__ import annotations

import json as _json
import os as _os
from typing import Any, Iterable, List, Mapping, Optional, Tuple, Union

from . import _native as _lib
from ._decision import Decision
from ._errors import Error, InputError, IoError, LimitError, PolicyError
from ._native import Graph, Policy
from ._shapes import (  # generated from the engine's types
    Approval, ApprovalCheck, Audit, Backup, BackupCheck, Block, BlockKind, Change, ConditionCheck, Diagnostic,
    ErrorReport, Evidence, Fired, GraphDocument, GraphEdge, GraphNode, ImpactedNode, ImpactReport, Interval, Limits,
    Outcome, Override, OverrideCheck,
)  # fmt: skip

__all__ = [
    # inputs (TypedDicts)
    "Approval", "Backup", "Change", "ChangeInput", "GraphDocument", "GraphEdge", "GraphNode", "Limits",
    "Override", "StrPath",
    # results (frozen dataclasses)
    "ApprovalCheck", "Audit", "BackupCheck", "Block", "BlockKind", "ConditionCheck", "Decision", "Diagnostic",
    "Evidence", "Fired", "ImpactReport", "ImpactedNode", "Interval", "Outcome", "OverrideCheck",
    # errors
    "Error", "ErrorReport", "InputError", "IoError", "LimitError", "PolicyError",
    # operations
    "Graph", "Policy", "__version__", "impact", "validate",
]  # fmt: skip

__version__: str = _lib.__version__
"""The version of changegate (the engine and this package)."""

StrPath = Union[str, "_os.PathLike[str]"]
"""A file system path: ``str`` or ``pathlib.Path``."""

ChangeInput = Union[str, bytes, Mapping[str, Any]]
"""A change: JSON text, or a mapping whose values may include aware ``datetime`` objects."""

_Sources = Union[Mapping[str, str], Iterable[Tuple[str, str]]]


def impact(graph: Graph, targets: Union[str, Iterable[str]]) -> ImpactReport:
    """The blast radius of ``targets``: every node that transitively depends on one, with its depth and path.

    Raises :class:`InputError` (``path`` such as ``targets[1]``) for an unknown node id or an empty list.
    """
    names = [targets] if isinstance(targets, str) else list(targets)
    return ImpactReport._from(_json.loads(_lib.impact_json(graph, names)))


def validate(sources: _Sources, *, limits: Optional[Limits] = None) -> List[Diagnostic]:
    """Every problem of policy sources (``{name: text}`` or pairs), without raising; empty when they compile."""
    try:
        found = _json.loads(_lib.validate_json(sources, limits))
    except PolicyError as e:  # only for a lone surrogate, which the engine cannot be given
        return e.diagnostics
    return [Diagnostic._from(d) for d in found]
