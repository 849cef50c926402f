"""The hostile-input list (core/tests/hostile/cases.json) through the Python package.

Each case must raise the documented ``changegate.Error`` (its kind and its
place: the JSON path, the diagnostic's file, line and column, or the file
that cannot be read) or give the documented decision, within the time limit;
after it, the base change must still evaluate. Documents that are not UTF-8
go through the APIs that take bytes (``Policy.from_path``,
``Graph.from_file``, a change as ``bytes``); lone surrogates are passed as
``str``. Cases that lower ``Limits`` are skipped: the package takes none.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple, Union

import pytest

import changegate
from changegate import _native

REPO = Path(__file__).resolve().parents[3]
MANIFEST: Dict[str, Any] = json.loads((REPO / "core" / "tests" / "hostile" / "cases.json").read_text("utf-8"))
TIME_LIMIT: float = MANIFEST["time_limit_seconds"]

_cache: Dict[Tuple[str, str], Union[bytes, str]] = {}


def _parts(spec: Any, env: Dict[str, int], as_text: bool, out: List[Any]) -> None:
    if isinstance(spec, str):
        out.append(spec if as_text else spec.encode("utf-8"))
    elif "json" in spec:
        text = json.dumps(spec["json"], ensure_ascii=False, separators=(",", ":"))
        out.append(text if as_text else text.encode("utf-8"))
    elif "concat" in spec:
        for part in spec["concat"]:
            _parts(part, env, as_text, out)
    elif "repeat" in spec:
        body, times, sep = spec["repeat"], spec["times"], spec.get("sep", "")
        sep_part: Any = sep if as_text else sep.encode("utf-8")
        if isinstance(body, str):
            one: Any = body if as_text else body.encode("utf-8")
            out.append(sep_part.join([one] * times))
            return
        var = spec.get("var", "i")
        for i in range(times):
            if i and sep:
                out.append(sep_part)
            _parts(body, {**env, var: i}, as_text, out)
    elif "var" in spec:
        n = str(env[spec["var"]] + spec.get("add", 0))
        out.append(n if as_text else n.encode())
    elif "bytes" in spec:
        raw = bytes(spec["bytes"])
        out.append(raw.decode("utf-8", "replace") if as_text else raw)
    elif "utf16" in spec:
        units = "".join(map(chr, spec["utf16"]))
        out.append(units if as_text else units.encode("utf-8", "surrogatepass"))
    else:
        raise ValueError(f"not a content: {spec!r}")


def content(spec: Any, as_text: bool) -> Any:
    """A content as a host string (bytes parts decoded with U+FFFD) or as bytes; generated once."""
    key = (json.dumps(spec), "text" if as_text else "bytes")
    if key not in _cache:
        out: List[Any] = []
        _parts(spec, {}, as_text, out)
        _cache[key] = "".join(out) if as_text else b"".join(out)
    return _cache[key]


def has_bytes(spec: Any) -> bool:
    """Whether a content holds raw bytes (so only a bytes or file API can carry it)."""
    if isinstance(spec, dict):
        if "bytes" in spec:
            return True
        return any(has_bytes(v) for v in spec.values() if isinstance(v, (dict, list)))
    if isinstance(spec, list):
        return any(has_bytes(v) for v in spec)
    return False


def inputs(case: Dict[str, Any]) -> Dict[str, Any]:
    base = MANIFEST["base"]
    return {k: case.get(k, base[k]) for k in ("policy", "graph", "change")}


def run(case: Dict[str, Any], tmp: Path) -> Tuple[str, Dict[str, Any]]:
    """``("decision", decision)`` or ``("error", body of the error JSON)``."""
    given = inputs(case)
    try:
        policy_files: Dict[str, Any] = given["policy"]
        if any(has_bytes(c) for c in policy_files.values()):
            for name, c in policy_files.items():
                (tmp / name).write_bytes(content(c, as_text=False))
            policy = changegate.Policy.from_path(list(policy_files), base_dir=tmp)
        else:
            policy = changegate.Policy.from_sources({n: content(c, as_text=True) for n, c in policy_files.items()})
        if has_bytes(given["graph"]):
            (tmp / "graph.json").write_bytes(content(given["graph"], as_text=False))
            graph = changegate.Graph.from_file(tmp / "graph.json")
        else:
            graph = changegate.Graph.from_json(content(given["graph"], as_text=True))
        change = given["change"]
        text = content(change, as_text=False) if has_bytes(change) else content(change, as_text=True)
        return "decision", policy.evaluate(text, graph).to_dict()
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
        path = want["path"] if isinstance(want["path"], str) else content(want["path"], as_text=True)
        assert body["path"] == path, shown
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


BASE: Dict[str, Any] = {"name": "base", "expect": MANIFEST["base"]["expect"]}


@pytest.mark.parametrize("case", MANIFEST["cases"], ids=[c["name"] for c in MANIFEST["cases"]])
def test_hostile_input(case: Dict[str, Any], tmp_path: Path) -> None:
    if "limits" in case:
        pytest.skip("the Python package takes no limits")
    expect = case.get("expect_for", {}).get("python", case["expect"])
    started = time.monotonic()
    got = run(case, tmp_path)
    took = time.monotonic() - started
    check(expect, got)
    assert took < TIME_LIMIT, f"took {took:.1f} s"
    # The process lives on, and evaluates as before.
    check(BASE["expect"], run(BASE, tmp_path))


def test_a_panic_is_an_error_and_the_process_lives_on(tmp_path: Path) -> None:
    with pytest.raises(changegate.Error) as info:
        _native._panic_for_tests()
    assert info.value.kind == "internal"
    check(BASE["expect"], run(BASE, tmp_path))
