"""The exceptions changegate raises, each built from the engine's error report."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple, Type

from ._shapes import Diagnostic, ErrorReport

__all__ = ["Error", "InputError", "IoError", "LimitError", "PolicyError"]


class Error(Exception):
    """Base class of every changegate error.

    ``kind`` is ``"policy"``, ``"input"``, ``"io"``, ``"limit"`` or
    ``"internal"`` (a bug in changegate: please report it); ``help`` says how
    to fix the problem where there is advice; ``report`` is the whole
    :class:`ErrorReport`, whose other fields (``diagnostics``, ``document``,
    ``path``) the error has too. ``to_json()`` gives the error exactly as the
    command line prints it (``{"error": {...}}``).

    Errors raised by :meth:`changegate.Policy.evaluate_many` carry ``index``,
    the position of the change that failed; it is ``None`` otherwise.
    """

    kind: str
    message: str
    help: Optional[str]
    index: Optional[int] = None

    def __init__(self, report: ErrorReport, text: str, error_json: str) -> None:
        super().__init__(report.message)
        self.report = report
        self._text = text
        self._json = error_json

    def __getattr__(self, name: str) -> Any:
        # Only for what is not set: the report's fields.
        if name in ErrorReport.__dataclass_fields__ and "report" in self.__dict__:
            return getattr(self.report, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        shown = [repr(self.message)] + [f"{k}={getattr(self.report, k)!r}" for k in ("document", "path")]
        shown += [f"first={d.file}:{d.line}:{d.column}" for d in self.report.diagnostics[:1]]
        return f"{type(self).__name__}({', '.join(s for s in shown if not s.endswith('=None'))})"

    def __reduce__(self) -> Tuple[Any, ...]:
        # Lets errors cross process boundaries (multiprocessing, pickle).
        return (type(self), (self.report, self._text, self._json), {"index": self.index})

    def to_dict(self) -> Dict[str, Any]:
        """The error JSON as a dict: ``{"error": {"kind": ..., ...}}``."""
        result: Dict[str, Any] = json.loads(self.to_json())
        return result

    def to_json(self) -> str:
        """The error JSON, byte for byte as the command line prints it."""
        return self._json


class PolicyError(Error):
    """The policy does not compile: ``diagnostics`` lists every problem of every file, and ``str()`` is the
    full report with source lines and carets, as a compiler prints it."""

    diagnostics: List[Diagnostic]


class InputError(Error):
    """A graph, change or limits document is invalid, or names an unknown node.

    ``document`` is ``"graph"``, ``"change"`` or ``"limits"``; ``path`` is the JSON path of the offending
    value, such as ``targets[2]`` or ``nodes[17].tier`` (empty for the document as a whole, such as invalid JSON).
    """

    document: str
    path: str


class IoError(Error):
    """A policy or graph file could not be read; ``path`` names it."""

    path: str


class LimitError(Error):
    """Evaluation went over a resource limit (for instance a window scan)."""


_KINDS: Dict[str, Type[Error]] = {"policy": PolicyError, "input": InputError, "io": IoError, "limit": LimitError}


def _from_native(report_json: str, text: str, error_json: str) -> Error:
    """The exception for an error report (called by the native module)."""
    report = ErrorReport._from(json.loads(report_json))
    return _KINDS.get(report.kind, Error)(report, text, error_json)
