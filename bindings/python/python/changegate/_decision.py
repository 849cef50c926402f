"""The decision as a lazy frozen dataclass: it holds the engine's decision and builds each field (those of the
generated ``_shapes.Decision``, named by ``_native.DECISION_FIELDS``) from its JSON when first read, then keeps it."""

from __future__ import annotations

import copyreg
import datetime as _dt
import json
import typing
from typing import TYPE_CHECKING, Any, Callable, Dict, Tuple

from . import _native, _shapes

__all__ = ["Decision"]


def _builder(hint: Any) -> Callable[[Any], Any]:
    """How to build a value of the type ``hint`` from its parsed JSON."""
    origin, args = typing.get_origin(hint), [a for a in typing.get_args(hint) if a is not type(None)]
    if origin is list:
        item = _builder(args[0])
        return lambda v: [item(x) for x in v]
    if origin is typing.Union:
        inner = _builder(args[0])
        return lambda v: None if v is None else inner(v)
    leaves: Dict[Any, Callable[[Any], Any]] = {_dt.datetime: _shapes._time, _dt.timedelta: _shapes._duration}
    built: Callable[[Any], Any] = getattr(hint, "_from", None) or leaves.get(hint, lambda v: v)
    return built


_HINTS = typing.get_type_hints(_shapes.Decision)
_BUILD = {name: _builder(_HINTS[name]) for name in _native.DECISION_FIELDS}
# `json.loads` without its Python layers (a µs a call: most of reading a
# small field); the engine's JSON is compact, with nothing after the value.
_parse: Callable[[str, int], Tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


class Decision(_shapes.Decision):
    """The result of checking one change against a policy and a graph.

    A frozen dataclass whose fields are built when first read, so it costs
    little until looked at; it outlives its policy and graph, and pickles as
    its JSON. ``to_json()`` is the decision JSON exactly as the command line
    prints it; ``to_dict()`` is that JSON parsed.
    """

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # Called only for what is not set: a field not read yet.
            build, native = _BUILD.get(name), self.__dict__.get("_native")
            if build is None or native is None:
                raise AttributeError(f"'Decision' object has no attribute {name!r}")
            return self.__dict__.setdefault(name, build(_parse(native.field_json(name), 0)[0]))

    @classmethod
    def _lazy(cls, native: _native.Decision) -> Decision:
        self = object.__new__(cls)
        self.__dict__["_native"] = native
        return self

    @classmethod
    def from_json(cls, text: str) -> Decision:
        """Reads a decision from its JSON, which ``to_json()`` then returns unchanged; ``ValueError`` if it is not one."""
        self = cls._lazy(_native.Decision.from_json(text))
        self.__dict__["_json"] = text
        return self

    @property
    def approved(self) -> bool:
        """Whether the outcome is ``approved``."""
        return self.outcome == "approved"

    def to_json(self) -> str:
        """The decision JSON, byte for byte as the command line prints it.

        ``ValueError`` for a decision built from its fields (as by ``dataclasses.replace``).
        """
        d = self.__dict__
        if "_json" not in d:
            if "_native" not in d:
                raise ValueError("a decision built from its fields has no decision JSON")
            d.setdefault("_json", d["_native"].to_json())
        text: str = d["_json"]
        return text

    def to_dict(self) -> Dict[str, Any]:
        """The decision JSON as plain dicts and lists (times as RFC 3339 strings)."""
        result: Dict[str, Any] = json.loads(self.to_json())
        return result

    def __reduce__(self) -> Tuple[Any, ...]:
        # An engine-made decision pickles as its JSON, another as its fields.
        if "_native" in self.__dict__:
            return (Decision.from_json, (self.to_json(),))
        return (copyreg.__newobj__, (type(self),), self.__dict__)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        shown = {
            "blocks": len(self.blocks),
            "unmet_approvals": sum(not a.satisfied for a in self.approvals),
            "unmet_requirements": sum(not b.satisfied for b in self.backups) + sum(not c.satisfied for c in self.conditions),
            "next_allowed_start": self.next_allowed_start and self.next_allowed_start.isoformat(),
        }
        parts = [f"change={self.change!r}", f"outcome={self.outcome!r}"] + [f"{k}={v!r}" for k, v in shown.items() if v]
        return f"Decision({', '.join(parts)})"
