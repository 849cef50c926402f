"""The exceptions changegate raises, built from core's error JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional, Tuple

__all__ = [
    "Diagnostic",
    "Error",
    "InputError",
    "IoError",
    "LimitError",
    "PolicyError",
]


@dataclass(frozen=True)
class Diagnostic:
    """One problem in a policy file, with its place and, where one helps, advice.

    Lines and columns are 1-based; columns count characters, and
    ``end_column`` is just past the end.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    help: Optional[str]

    def to_dict(self) -> Dict[str, Any]:
        """The diagnostic as a dict, in the shape of the error JSON."""
        return asdict(self)

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{text} (help: {self.help})" if self.help else text


class Error(Exception):
    """Base class of every changegate error.

    ``kind`` is ``"policy"``, ``"input"``, ``"io"``, ``"limit"`` or
    ``"internal"`` (a bug in changegate: please report it). ``help`` says how
    to fix the problem where there is advice. ``to_json()`` gives the error
    exactly as the command line prints it (``{"error": {...}}``).

    Errors raised by :meth:`changegate.Policy.evaluate_many` carry ``index``,
    the position of the change that failed; it is ``None`` otherwise.
    """

    kind: str
    message: str
    help: Optional[str]
    index: Optional[int]

    def __init__(self, message: str, *, kind: str = "internal", help: Optional[str] = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.help = help
        self.index = None
        self._text = message + (f"\nhelp: {help}" if help else "")
        self._json: Optional[str] = None

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def __reduce__(self) -> Tuple[Any, ...]:
        # Lets errors cross process boundaries (multiprocessing, pickle).
        return (_rebuild, (self.to_json(), self._text, self.index))

    def _body(self) -> Dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "help": self.help}

    def to_dict(self) -> Dict[str, Any]:
        """The error JSON as a dict: ``{"error": {"kind": ..., ...}}``."""
        result: Dict[str, Any] = json.loads(self.to_json())
        return result

    def to_json(self) -> str:
        """The error JSON, byte for byte as the command line prints it."""
        if self._json is None:
            self._json = json.dumps({"error": self._body()}, indent=2, ensure_ascii=False) + "\n"
        return self._json


class PolicyError(Error):
    """The policy does not compile.

    ``diagnostics`` lists every problem of every file. ``str()`` is the full
    report with source lines and carets, as a compiler prints it.
    """

    diagnostics: List[Diagnostic]

    def __init__(self, message: str, diagnostics: List[Diagnostic]) -> None:
        super().__init__(message, kind="policy")
        self.diagnostics = list(diagnostics)

    def __repr__(self) -> str:
        first = f", first: {self.diagnostics[0]}" if self.diagnostics else ""
        return f"PolicyError({self.message!r}{first})"

    def _body(self) -> Dict[str, Any]:
        return {
            "kind": "policy",
            "message": self.message,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


class InputError(Error):
    """A graph or change document is invalid, or names an unknown node.

    ``document`` is ``"graph"`` or ``"change"``; ``path`` is the JSON path of
    the offending value, such as ``targets[2]`` or ``nodes[17].tier`` (empty
    for the document as a whole, such as invalid JSON).
    """

    document: str
    path: str

    def __init__(self, message: str, *, document: str, path: str, help: Optional[str] = None) -> None:
        super().__init__(message, kind="input", help=help)
        self.document = document
        self.path = path
        where = f" at `{path}`" if path else ""
        self._text = f"invalid {document}: {message}{where}" + (f"\nhelp: {help}" if help else "")

    def __repr__(self) -> str:
        return f"InputError(document={self.document!r}, path={self.path!r}, message={self.message!r})"

    def _body(self) -> Dict[str, Any]:
        return {
            "kind": "input",
            "document": self.document,
            "path": self.path,
            "message": self.message,
            "help": self.help,
        }


class IoError(Error):
    """A policy or graph file could not be read; ``path`` names it."""

    path: str

    def __init__(self, message: str, *, path: str, help: Optional[str] = None) -> None:
        super().__init__(message, kind="io", help=help)
        self.path = path
        self._text = f"cannot read `{path}`: {message}" + (f"\nhelp: {help}" if help else "")

    def __repr__(self) -> str:
        return f"IoError(path={self.path!r}, message={self.message!r})"

    def _body(self) -> Dict[str, Any]:
        return {"kind": "io", "path": self.path, "message": self.message, "help": self.help}


class LimitError(Error):
    """Evaluation went over a resource limit (for instance a window scan)."""

    def __init__(self, message: str, *, help: Optional[str] = None) -> None:
        super().__init__(message, kind="limit", help=help)


def _from_core(error_json: str, text: str) -> Error:
    """Builds the exception for core's error JSON (called by the native module)."""
    body: Dict[str, Any] = json.loads(error_json)["error"]
    kind = body.get("kind")
    error: Error
    if kind == "policy":
        diagnostics = [Diagnostic(**d) for d in body.get("diagnostics", [])]
        error = PolicyError(body["message"], diagnostics)
    elif kind == "input":
        error = InputError(body["message"], document=body["document"], path=body["path"], help=body.get("help"))
    elif kind == "io":
        error = IoError(body["message"], path=body["path"], help=body.get("help"))
    elif kind == "limit":
        error = LimitError(body["message"], help=body.get("help"))
    else:
        error = Error(body.get("message", text), kind=str(kind), help=body.get("help"))
    if kind == "policy":
        error._text = text
    error._json = error_json
    return error


def _internal(message: str) -> Error:
    """The exception for a panic inside the engine (called by the native module)."""
    return Error(message, kind="internal", help="this is a bug in changegate; please report it with the inputs")


def _rebuild(error_json: str, text: str, index: Optional[int]) -> Error:
    error = _from_core(error_json, text)
    error.index = index
    return error
