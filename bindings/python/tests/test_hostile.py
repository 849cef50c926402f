"""The hostile-input list (core/tests/hostile/cases.json) through the Python package.

The list as changegate-testkit expands it into target/hostile/ (`make
test-python` runs `cargo run -p changegate-testkit -- hostile target/hostile`
first). Each case must raise the documented ``changegate.Error`` (its kind
and its place: the JSON path, the diagnostic's file, line and column, or the
file that cannot be read) or give the documented decision, within the time
limit; after it, the base change must still evaluate. Documents that are not
UTF-8 go through the APIs that take bytes (``Policy.from_path``,
``Graph.from_file``, a change as ``bytes``); lone surrogates are passed as
``str``. Cases that lower ``Limits`` pass them to every compile and load.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any, Dict, Tuple

import pytest

import changegate
from changegate import _native

REPO = Path(__file__).resolve().parents[3]
DIR = REPO / "target" / "hostile"
if not (DIR / "manifest.json").exists():
    raise RuntimeError(f"{DIR / 'manifest.json'} is missing: run `cargo run -p changegate-testkit -- hostile target/hostile` first")
MANIFEST: Dict[str, Any] = json.loads((DIR / "manifest.json").read_bytes().decode("utf-8"))
TIME_LIMIT: float = MANIFEST["time_limit_seconds"]


def text(doc: Dict[str, Any]) -> str:
    """A document as a host string: its ``text`` if it has one, else its file read as UTF-8."""
    if doc["text"] is not None:
        return str(doc["text"])
    return (DIR / doc["file"]).read_bytes().decode("utf-8")


def run(case: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    """``("decision", decision)`` or ``("error", body of the error JSON)``."""
    limits = case["limits"]
    try:
        if any(d["raw"] for d in case["policy"]):
            paths = [d["name"] for d in case["policy"]]
            policy = changegate.Policy.from_path(paths, base_dir=DIR / case["name"], limits=limits)
        else:
            policy = changegate.Policy.from_sources({d["name"]: text(d) for d in case["policy"]}, limits=limits)
        if case["graph"]["raw"]:
            graph = changegate.Graph.from_file(DIR / case["graph"]["file"], limits=limits)
        else:
            graph = changegate.Graph.from_json(text(case["graph"]), limits=limits)
        change = case["change"]
        given = (DIR / change["file"]).read_bytes() if change["raw"] else text(change)
        return "decision", policy.evaluate(given, graph).to_dict()
    except changegate.Error as e:
        return "error", e.to_dict()["error"]


def check(expect: Dict[str, Any], got: Tuple[str, Dict[str, Any]]) -> None:
    what, body = got
    want = expect.get("error")
    if want is None:
        assert what == "decision", f"an error instead of a decision: {json.dumps(body)[:300]}"
        assert body["outcome"] == expect["outcome"]
        if "impacted" in expect:
            assert len(body["impact"]["impacted"]) == expect["impacted"]
        if "fired" in expect:
            assert len(body["fired"]) == expect["fired"]
        return
    assert what == "error", f"a decision ({body.get('outcome')}) instead of an error"
    shown = json.dumps(body)[:300]
    assert body["kind"] == want["kind"], shown
    if want["kind"] == "policy":
        first = body["diagnostics"][0]
        place = {k: first[k] for k in ("file", "line", "column")}
        assert place == {k: want["diagnostic"][k] for k in place}, shown
        message = first["message"]
    elif want["kind"] == "input":
        assert body["document"] == want["document"], shown
        assert body["path"] == want["path"], shown
        message = body["message"]
    elif want["kind"] == "io":
        assert body["path"] == want["file"] or body["path"].endswith("/" + want["file"]), shown
        message = body["message"]
    else:
        message = body["message"]
    if "message_contains" in want:
        assert want["message_contains"] in message, shown
    if want.get("message_has_line_column"):
        assert re.search(r"line \d+ column \d+", message), shown


BASE: Dict[str, Any] = MANIFEST["base"]


@pytest.mark.parametrize("case", MANIFEST["cases"], ids=[c["name"] for c in MANIFEST["cases"]])
def test_hostile_input(case: Dict[str, Any]) -> None:
    started = time.monotonic()
    got = run(case)
    took = time.monotonic() - started
    check(case["expect"]["python"], got)
    assert took < TIME_LIMIT, f"took {took:.1f} s"
    # The process lives on, and evaluates as before.
    check(BASE["expect"]["python"], run(BASE))


def test_a_panic_is_an_error_and_the_process_lives_on() -> None:
    with pytest.raises(changegate.Error) as info:
        _native._panic_for_tests()
    assert info.value.kind == "internal"
    check(BASE["expect"]["python"], run(BASE))
