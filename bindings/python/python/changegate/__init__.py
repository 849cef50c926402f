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
from typing import Any, Iterable, List, Mapping, Optional, Tuple, TypeVar, Union

from . import _native as _lib
from ._decision import Decision
from ._errors import Error, InputError, IoError, LimitError, PolicyError, _surrogate_in_policy
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
_T = TypeVar("_T", bound="_Value")


def _limits(limits: Optional[Limits]) -> Optional[str]:
    return None if limits is None else _json.dumps(limits)


def _pairs(sources: _Sources) -> List[Tuple[str, str]]:
    return [(name, text) for name, text in (sources.items() if isinstance(sources, Mapping) else sources)]


class _Value:
    """An immutable Python face of a native value, made by its class's constructors."""

    __slots__ = ("_native",)

    def __init__(self) -> None:
        raise TypeError(f"use the {type(self).__name__}.from_... constructors")

    @classmethod
    def _wrap(cls: type[_T], native: object) -> _T:
        self = object.__new__(cls)
        object.__setattr__(self, "_native", native)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")


class Policy(_Value):
    """A compiled policy set, ready to evaluate any number of changes.

    Build one with :meth:`from_path` or :meth:`from_sources`; ``limits``
    (any keys of :class:`Limits`) bounds the work of compiling it and of
    each evaluation. Immutable and safe to share between threads.
    """

    __slots__ = ()
    _native: _lib.Policy

    @classmethod
    def from_path(
        cls, paths: Union[StrPath, Iterable[StrPath]], *, base_dir: Optional[StrPath] = None, limits: Optional[Limits] = None
    ) -> Policy:
        """Reads and compiles ``.gate`` files: one path or a list; a directory stands for every ``*.gate`` below it.

        Files are named as given (joined with the path below a directory) in
        diagnostics and ``Decision.fired``; relative paths are resolved against
        ``base_dir``, so names do not depend on where a repository is checked
        out. Raises :class:`PolicyError` listing every problem of every file,
        or :class:`IoError` when a path cannot be read.
        """
        if isinstance(paths, (str, _os.PathLike)):
            paths = [paths]
        return cls._wrap(_lib.Policy.from_paths(list(paths), base_dir, _limits(limits)))

    @classmethod
    def from_sources(cls, sources: _Sources, *, limits: Optional[Limits] = None) -> Policy:
        """Compiles policy files given as ``{name: text}`` or ``(name, text)`` pairs; raises :class:`PolicyError`."""
        pairs = _pairs(sources)
        try:
            return cls._wrap(_lib.Policy.from_sources(pairs, _limits(limits)))
        except UnicodeEncodeError as e:
            raise _surrogate_in_policy(e, pairs) from None

    @property
    def digest(self) -> str:
        """``sha256:`` and the digest of the policy sources (as in ``Decision.audit``)."""
        return self._native.digest

    @property
    def files(self) -> List[str]:
        """The names of the policy files."""
        return self._native.files

    @property
    def rules(self) -> List[str]:
        """The names of the rules, sorted."""
        return self._native.rules

    def window_time_zone(self, window: str) -> Optional[str]:
        """The IANA time zone a window of the policy is in; ``None`` if there is no such window."""
        return self._native.window_time_zone(window)

    def evaluate(self, change: ChangeInput, graph: Graph) -> Decision:
        """Evaluates a change (JSON text or a :class:`Change` mapping) against this policy and ``graph``.

        ``datetime`` values in a mapping must be timezone-aware. Raises
        :class:`InputError` for an invalid change (``path`` names the field,
        such as ``targets[2]``) and :class:`LimitError` when evaluation goes
        over a resource limit. The GIL is released while evaluating.
        """
        return Decision._lazy(self._native.evaluate(change, _graph(graph)))

    def evaluate_many(self, changes: Iterable[ChangeInput], graph: Graph) -> List[Decision]:
        """Evaluates many changes (a change calendar), releasing the GIL once for the batch.

        The first change that fails raises its error with ``index`` set to its position.
        """
        return [Decision._lazy(d) for d in self._native.evaluate_many(list(changes), _graph(graph))]

    def evaluate_json(self, change: Union[str, bytes], graph: Graph) -> str:
        """Evaluates a change given as JSON text; returns the decision JSON, as the command line prints it."""
        return self._native.evaluate_json(change, _graph(graph))

    def __repr__(self) -> str:
        files = self.files
        shown = files if len(files) <= 3 else files[:3] + [f"... {len(files) - 3} more"]
        return f"Policy(files={shown!r}, rules={len(self.rules)}, digest={self.digest[:19] + '...'!r})"


class Graph(_Value):
    """A dependency graph of the estate (see docs/language.md, *Inputs: the graph and the change*).

    Build one with :meth:`from_file`, :meth:`from_json` or :meth:`from_dict`;
    ``limits`` (any keys of :class:`Limits`) bounds its size. Immutable and
    safe to share between threads. ``len(graph)`` is the number of nodes and
    ``"orders-db" in graph`` tells whether a node has that id.
    """

    __slots__ = ()
    _native: _lib.Graph

    @classmethod
    def from_file(cls, path: StrPath, *, limits: Optional[Limits] = None) -> Graph:
        """Reads a graph from a JSON file; raises :class:`IoError` or :class:`InputError` naming the bad field."""
        return cls._wrap(_lib.Graph.from_file(path, _limits(limits)))

    @classmethod
    def from_json(cls, text: Union[str, bytes], *, limits: Optional[Limits] = None) -> Graph:
        """Reads a graph from JSON text; raises :class:`InputError` naming the bad field."""
        return cls._wrap(_lib.Graph.load(text, _limits(limits)))

    @classmethod
    def from_dict(cls, graph: Mapping[str, Any], *, limits: Optional[Limits] = None) -> Graph:
        """Reads a graph from a mapping (``{"nodes": [...], "edges": [...]}``, a :class:`GraphDocument`)."""
        return cls._wrap(_lib.Graph.load(graph, _limits(limits)))

    @property
    def edge_count(self) -> int:
        """The number of dependency edges (``depends_on`` and ``edges`` together)."""
        return self._native.edge_count

    def nodes(self) -> List[GraphNode]:
        """The nodes in document order, each with every id it depends on (sorted); attributes left out."""
        nodes: List[GraphNode] = _json.loads(self._native.nodes_json())
        return nodes

    def __len__(self) -> int:
        return self._native.node_count

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and self._native.contains(node_id)

    def __repr__(self) -> str:
        return f"Graph(nodes={len(self)}, edges={self.edge_count})"


def impact(graph: Graph, targets: Union[str, Iterable[str]]) -> ImpactReport:
    """The blast radius of ``targets``: every node that transitively depends on one, with its depth and path.

    Raises :class:`InputError` (``path`` such as ``targets[1]``) for an unknown node id or an empty list.
    """
    names = [targets] if isinstance(targets, str) else list(targets)
    return ImpactReport._from(_json.loads(_lib.impact_json(_graph(graph), names)))


def validate(sources: _Sources, *, limits: Optional[Limits] = None) -> List[Diagnostic]:
    """Every problem of policy sources (``{name: text}`` or pairs), without raising; empty when they compile."""
    pairs = _pairs(sources)
    try:
        found = _json.loads(_lib.validate_json(pairs, _limits(limits)))
    except UnicodeEncodeError as e:
        return _surrogate_in_policy(e, pairs).diagnostics
    return [Diagnostic._from(d) for d in found]


def _graph(graph: Graph) -> _lib.Graph:
    if not isinstance(graph, Graph):
        raise TypeError(f"expected a changegate.Graph, found {type(graph).__name__}")
    return graph._native
