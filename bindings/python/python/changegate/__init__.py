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
from datetime import datetime as _datetime
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _native as _lib
from ._decision import Decision
from ._errors import Error, InputError, IoError, LimitError, PolicyError
from ._native import Graph, Policy
from ._shapes import (  # generated from the engine's types
    Approval, ApprovalCheck, Audit, BackstageOptions, Backup, BackupOptions, BackupCheck, Block, BlockKind, Change, ConditionCheck, Diagnostic,
    ErrorReport, Evidence, Finding, Fired, GraphDocument, GraphEdge, GraphNode, ImpactedNode, ImpactReport, Imported,
    ImportNote, Interval, Limits, LintRequest, Outcome, Override, OverrideCheck, ServiceNowChangeOptions, ServiceNowCmdbOptions,
    TestReport,
)  # fmt: skip

__all__ = [
    # inputs (TypedDicts)
    "Approval", "Backup", "BackstageOptions", "BackupOptions", "Change", "ChangeInput", "GraphDocument",
    "GraphEdge", "GraphNode", "Limits", "LintRequest", "Override", "ServiceNowChangeOptions", "ServiceNowCmdbOptions", "StrPath",
    # results (frozen dataclasses)
    "ApprovalCheck", "Audit", "BackupCheck", "Block", "BlockKind", "ConditionCheck", "Decision", "Diagnostic",
    "Evidence", "Finding", "Fired", "ImpactReport", "ImpactedNode", "Imported", "ImportNote", "Interval", "Outcome",
    "OverrideCheck", "TestReport",
    # errors
    "Error", "ErrorReport", "InputError", "IoError", "LimitError", "PolicyError",
    # operations
    "Graph", "Policy", "__version__", "format_policy", "impact", "import_files", "import_texts", "lint", "run_tests",
    "validate",
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


def import_texts(
    adapter: str, inputs: Mapping[str, _Sources], *, options: Optional[Mapping[str, Any]] = None,
    limits: Optional[Limits] = None,
) -> Imported:
    """Reads another tool's records into changegate's own document, with ``adapter`` (``servicenow-change``,
    ``servicenow-cmdb``, ``backstage``, ``velero`` or ``aws-backup``; see ``docs/sources/``).

    ``inputs`` maps each of the adapter's roles (``change``, ``approvals``, ``cis``, ``catalog``, ``records``,
    ...) to its files as ``{name: text}`` or pairs; ``options`` are the adapter's. The result's ``document`` is
    a change, a graph or a change's backups as dicts (``Graph.from_dict(imported.document)``), and ``notes``
    the records read but not counted. Raises :class:`InputError` naming the file, record and field.
    """
    return Imported._from(_json.loads(_lib.import_json(adapter, inputs, True, options, limits)))


def import_files(
    adapter: str, inputs: Mapping[str, Union[StrPath, Iterable[StrPath]]], *,
    options: Optional[Mapping[str, Any]] = None, base_dir: Optional[StrPath] = None, limits: Optional[Limits] = None,
) -> Imported:
    """:func:`import_texts` reading files: each role's path or paths, a directory standing for its files of the
    role's kind (``*.yaml``, ``*.yml`` and ``*.json`` for a catalog, ``*.json`` otherwise), relative paths
    resolved against ``base_dir`` and files named as given. Raises :class:`IoError` for a path that cannot be read.
    """
    return Imported._from(_json.loads(_lib.import_json(adapter, inputs, False, options, limits, base_dir)))


def format_policy(text: str, *, name: str = "policy.gate", limits: Optional[Limits] = None) -> str:
    """One policy file in the canonical layout, what ``changegate fmt`` writes: only whitespace changes, every
    comment stays where it was, and formatting again changes nothing.

    Raises :class:`PolicyError` when the file has syntax errors (``name`` is the file named in them).
    """
    return _lib.format_source([(name, text)], limits)


def lint(
    sources: _Sources, *, at: Union[str, "_datetime", None] = None, config: Optional[Mapping[str, Any]] = None,
    graph: Union[Graph, GraphDocument, None] = None, changes: Optional[Iterable[ChangeInput]] = None,
    limits: Optional[Limits] = None,
) -> List[Finding]:
    """The lint findings of policy sources (``{name: text}`` or pairs), what ``changegate lint`` reports, sorted
    by file, line and column; ``# changegate: allow(name)`` comments suppress them.

    ``at`` (an aware ``datetime`` or RFC 3339 text) runs the window lints from that instant; ``config`` is
    ``changegate.toml``'s shape as a dict (``{"lint": {"unused-let": "off"}}``) or its ``[lint]`` table;
    ``graph`` (a :class:`Graph` or its dict) and ``changes`` (dicts or JSON text) feed the lints that read them (``empty-owner-set``,
    ``unknown-attribute``). Raises :class:`PolicyError` when the sources do not compile, :class:`InputError`
    (``document == "lint"``) for a bad ``at``, ``config`` or change.
    """
    request: Dict[str, Any] = {"at": at, "config": config}
    if changes is not None:
        request["changes"] = [_json.loads(c) if isinstance(c, (str, bytes)) else c for c in changes]
    loaded = graph if isinstance(graph, Graph) else None
    if graph is not None and loaded is None:
        request["graph"] = graph
    return [Finding._from(f) for f in _json.loads(_lib.lint_json(sources, request, loaded, limits))]


def run_tests(
    paths: Union[StrPath, Iterable[StrPath]], *, base_dir: Optional[StrPath] = None, filter: Optional[str] = None,
    coverage: bool = False, limits: Optional[Limits] = None,
) -> TestReport:
    """Runs the policy tests (``*.test.json``, docs/testing.md) in ``paths``, as ``changegate test`` does: a
    folder stands for every test file below it, relative paths are resolved against ``base_dir``.

    ``filter`` keeps the cases whose name contains it; ``coverage`` adds which rules, effects and windows no case
    exercised. A broken test file is reported in its ``error``, not raised; :class:`IoError` is raised for a path
    that cannot be read.
    """
    given = [paths] if isinstance(paths, (str, _os.PathLike)) else list(paths)
    return TestReport._from(_json.loads(_lib.run_tests_json(given, base_dir, filter, coverage, limits)))
