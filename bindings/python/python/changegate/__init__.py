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

import datetime as _dt
import json as _json
import math as _math
import os as _os
from typing import Any, Iterable, List, Mapping, Optional, Tuple, Union

from . import _native as _lib
from ._decision import (
    Approval,
    Audit,
    Backup,
    Block,
    BlockKind,
    Condition,
    Decision,
    Evidence,
    Fired,
    Impact,
    ImpactedNode,
    Interval,
    Outcome,
    Override,
)
from ._errors import Diagnostic, Error, InputError, IoError, LimitError, PolicyError

__all__ = [
    "Approval",
    "Audit",
    "Backup",
    "Block",
    "BlockKind",
    "ChangeInput",
    "Condition",
    "Decision",
    "Diagnostic",
    "Error",
    "Evidence",
    "Fired",
    "Graph",
    "Impact",
    "ImpactedNode",
    "InputError",
    "Interval",
    "IoError",
    "LimitError",
    "Outcome",
    "Override",
    "Policy",
    "PolicyError",
    "StrPath",
    "__version__",
    "impact",
]

__version__: str = _lib.__version__
"""The version of changegate (the engine and this package)."""

StrPath = Union[str, "_os.PathLike[str]"]
"""A file system path: ``str`` or ``pathlib.Path``."""

ChangeInput = Union[str, bytes, Mapping[str, Any]]
"""A change: JSON text, or a mapping whose values may include aware ``datetime`` objects."""


class Policy:
    """A compiled policy set, ready to evaluate any number of changes.

    Build one with :meth:`from_path` or :meth:`from_sources`. Immutable and
    safe to share between threads.
    """

    __slots__ = ("_native",)
    _native: _lib.Policy

    def __init__(self) -> None:
        raise TypeError("use Policy.from_path(...) or Policy.from_sources(...)")

    @classmethod
    def _wrap(cls, native: _lib.Policy) -> Policy:
        self = object.__new__(cls)
        object.__setattr__(self, "_native", native)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Policy is immutable")

    @classmethod
    def from_path(cls, paths: Union[StrPath, Iterable[StrPath]], *, base_dir: Optional[StrPath] = None) -> Policy:
        """Reads and compiles ``.gate`` files.

        ``paths`` is one path or a list of them; a directory stands for every
        ``*.gate`` file below it, sorted. Files are named as given (joined with
        the path below a directory), and those names appear in diagnostics and
        in ``Decision.fired``. Relative paths are resolved against
        ``base_dir`` when given, so names stay the same wherever a policy
        repository is checked out.

        Raises :class:`PolicyError` listing every problem of every file, or
        :class:`IoError` when a path cannot be read.
        """
        if isinstance(paths, (str, _os.PathLike)):
            paths = [paths]
        return cls._wrap(_lib.Policy.from_paths(list(paths), base_dir))

    @classmethod
    def from_sources(cls, sources: Union[Mapping[str, str], Iterable[Tuple[str, str]]]) -> Policy:
        """Compiles policy files given in memory, as ``{name: text}`` or ``(name, text)`` pairs.

        Raises :class:`PolicyError` listing every problem of every file.
        """
        pairs = sources.items() if isinstance(sources, Mapping) else sources
        items: List[Tuple[str, str]] = [(name, text) for name, text in pairs]
        try:
            return cls._wrap(_lib.Policy.from_sources(items))
        except UnicodeEncodeError as e:
            raise _surrogate_in_policy(e, items) from None

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

    def evaluate(self, change: ChangeInput, graph: Graph) -> Decision:
        """Evaluates a change against this policy and ``graph``.

        ``change`` is JSON text or a mapping (spec §2.2); in a mapping,
        ``datetime`` values must be timezone-aware and are written as RFC 3339.
        Raises :class:`InputError` for an invalid change (``path`` names the
        field, such as ``targets[2]``) and :class:`LimitError` when evaluation
        goes over a resource limit. The GIL is released while evaluating.

        The decision's fields are built when first read; the decision stays
        valid after this policy and ``graph`` are gone.
        """
        return _lazy_decision(self._native.evaluate(change, _graph(graph)))

    def evaluate_many(self, changes: Iterable[ChangeInput], graph: Graph) -> List[Decision]:
        """Evaluates many changes (a whole change calendar) against ``graph``.

        Returns the decisions in order. The first change that fails raises its
        error with ``index`` set to that change's position. The GIL is
        released once, for the whole batch.
        """
        decided = self._native.evaluate_many(list(changes), _graph(graph))
        return [_lazy_decision(d) for d in decided]

    def __repr__(self) -> str:
        files = self.files
        shown = files if len(files) <= 3 else files[:3] + [f"... {len(files) - 3} more"]
        return f"Policy(files={shown!r}, rules={len(self.rules)}, digest={self.digest[:19] + '...'!r})"


class Graph:
    """A dependency graph of the estate (spec §2.1).

    Build one with :meth:`from_file`, :meth:`from_json` or :meth:`from_dict`.
    Immutable and safe to share between threads. ``len(graph)`` is the number
    of nodes and ``"orders-db" in graph`` tells whether a node has that id.
    """

    __slots__ = ("_native",)
    _native: _lib.Graph

    def __init__(self) -> None:
        raise TypeError("use Graph.from_file(...), Graph.from_json(...) or Graph.from_dict(...)")

    @classmethod
    def _wrap(cls, native: _lib.Graph) -> Graph:
        self = object.__new__(cls)
        object.__setattr__(self, "_native", native)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Graph is immutable")

    @classmethod
    def from_file(cls, path: StrPath) -> Graph:
        """Reads a graph from a JSON file.

        Raises :class:`IoError` when the file cannot be read and
        :class:`InputError` (``document == "graph"``) when it is invalid.
        """
        name = _os.fspath(path)
        try:
            with open(name, "rb") as f:
                data = f.read()
        except OSError as e:
            message = (e.strerror or str(e)).lower()
            raise IoError(message, path=name.replace("\\", "/")) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise IoError(f"not valid UTF-8 (byte {e.start})", path=name.replace("\\", "/")) from None
        return cls.from_json(text)

    @classmethod
    def from_json(cls, text: Union[str, bytes]) -> Graph:
        """Reads a graph from JSON text; raises :class:`InputError` naming the bad field."""
        try:
            return cls._wrap(_lib.Graph.from_json(_text(text, "graph")))
        except UnicodeEncodeError as e:
            raise _surrogate(e, "graph") from None

    @classmethod
    def from_dict(cls, graph: Mapping[str, Any]) -> Graph:
        """Reads a graph from a mapping (``{"nodes": [...], "edges": [...]}``)."""
        if not isinstance(graph, Mapping):
            raise TypeError(f"expected a mapping, found {type(graph).__name__}")
        try:
            return cls._wrap(_lib.Graph.from_json(_dumps(graph, "graph")))
        except UnicodeEncodeError as e:
            raise _surrogate(e, "graph") from None

    @property
    def edge_count(self) -> int:
        """The number of dependency edges (``depends_on`` and ``edges`` together)."""
        return self._native.edge_count

    def __len__(self) -> int:
        return self._native.node_count

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and self._native.contains(node_id)

    def __repr__(self) -> str:
        return f"Graph(nodes={len(self)}, edges={self.edge_count})"


def impact(graph: Graph, targets: Union[str, Iterable[str]]) -> Impact:
    """The blast radius of ``targets``: every node that transitively depends on one.

    Each impacted node has its ``depth`` (targets: 0) and one shortest
    ``path`` from a target. Raises :class:`InputError` (``path`` such as
    ``targets[1]``) for an unknown node id or an empty list.
    """
    names = [targets] if isinstance(targets, str) else list(targets)
    try:
        return Impact._lazy(_lib.impact(_graph(graph), names))
    except UnicodeEncodeError as e:
        at = next((f"targets[{i}]" for i, t in enumerate(names) if t is e.object), "targets")
        raise _surrogate(e, "change", at) from None


def _surrogate_message(e: UnicodeEncodeError) -> str:
    bad = e.object[e.start : e.start + 1] if isinstance(e.object, str) else ""
    return f"lone surrogate `\\u{ord(bad or '?'):04x}` at character {e.start} cannot be encoded as UTF-8"


_SURROGATE_HELP = "the text held a lone UTF-16 surrogate; fix the decoding that produced it"


def _surrogate(e: UnicodeEncodeError, document: str, path: str = "") -> InputError:
    """A str that no UTF-8 text can hold (a lone surrogate), as an :class:`InputError`."""
    return InputError(_surrogate_message(e), document=document, path=path, help=_SURROGATE_HELP)


def _surrogate_in_policy(e: UnicodeEncodeError, items: List[Tuple[str, str]]) -> PolicyError:
    """A policy source (or its name) holding a lone surrogate, as a :class:`PolicyError` at its place."""
    name, line, column = "", 1, 1
    for name, text in items:
        if text is e.object:
            line = text.count("\n", 0, e.start) + 1
            column = e.start - (text.rfind("\n", 0, e.start) + 1) + 1
            break
        if name is e.object:
            break
    safe = name.encode("utf-8", "replace").decode("utf-8")
    diagnostic = Diagnostic(safe, line, column, line, column + 1, _surrogate_message(e), _SURROGATE_HELP)
    error = PolicyError("1 error in the policy", [diagnostic])
    error._text = f"1 error in the policy\n{diagnostic}"
    return error


_lazy_decision = Decision._lazy


def _graph(graph: object) -> _lib.Graph:
    if not isinstance(graph, Graph):
        raise TypeError(f"expected a changegate.Graph, found {type(graph).__name__}")
    return graph._native


def _text(value: Union[str, bytes], document: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(f"the JSON is not valid UTF-8 (byte {e.start})", document=document, path="") from None
    raise TypeError(f"expected JSON text (str or bytes), found {type(value).__name__}")


def _dumps(value: Mapping[str, Any], document: str) -> str:
    """Turns a mapping into JSON text, writing aware datetimes as RFC 3339 in UTC."""
    try:
        plain = _plain(value, "", document)
    except RecursionError:
        raise InputError("the document is nested too deeply", document=document, path="") from None
    return _json.dumps(plain, ensure_ascii=False, allow_nan=False)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _plain(value: Any, path: str, document: str) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not _math.isfinite(value):
            raise InputError(f"`{value}` is not a JSON number", document=document, path=path)
        return value
    if isinstance(value, _dt.datetime):
        offset = value.utcoffset()
        if offset is None:
            raise InputError(
                f"naive datetime `{value.isoformat()}` has no time zone",
                document=document,
                path=path,
                help="pass an aware datetime, such as `datetime(..., tzinfo=timezone.utc)` or `dt.astimezone()`",
            )
        try:
            utc = value.astimezone(_dt.timezone.utc)
        except OverflowError:
            raise InputError(f"datetime `{value.isoformat()}` is out of range", document=document, path=path) from None
        return utc.replace(tzinfo=None).isoformat() + "Z"
    if isinstance(value, _dt.date):
        raise InputError(
            f"a date without a time (`{value.isoformat()}`) is not an instant",
            document=document,
            path=path,
            help="pass an aware datetime, or the date as a string",
        )
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise InputError(f"key `{k!r}` is not a string", document=document, path=path)
            out[k] = _plain(v, _join(path, k), document)
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{path}[{i}]", document) for i, v in enumerate(value)]
    raise InputError(
        f"cannot write a Python `{type(value).__name__}` as JSON",
        document=document,
        path=path,
        help="use dicts, lists, strings, numbers, booleans, None and aware datetimes",
    )
