"""Every adapter case of core/tests/import/manifest.json, through the Python API.

Each case is given by text (``import_texts``, the files named as the manifest names them) and by path
(``import_files``): both must give the case's ``expected.json`` (the document and the notes) or raise the
error whose ``to_json()`` is its ``error.json``, byte for byte.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import changegate
from conftest import REPO

MANIFEST = REPO / "core" / "tests" / "import" / "manifest.json"
CASES: List[Dict[str, Any]] = json.loads(MANIFEST.read_text("utf-8"))["cases"]


def _plain(imported: changegate.Imported) -> Dict[str, Any]:
    notes = [{k: v for k, v in dataclasses.asdict(n).items() if v is not None} for n in imported.notes]
    return {"document": imported.document, "notes": notes}


@pytest.mark.parametrize("case", CASES, ids=[c["dir"].split("import/")[1] for c in CASES])
def test_import_case(case: Dict[str, Any]) -> None:
    folder = REPO / case["dir"]
    expected = (folder / case["expected"]).read_bytes().decode("utf-8")
    texts = {role: [(n, (folder / n).read_bytes().decode("utf-8")) for n in names] for role, names in case["files"].items()}
    runs = [
        lambda: changegate.import_texts(case["adapter"], texts, options=case["options"]),
        lambda: changegate.import_files(case["adapter"], case["paths"], options=case["options"], base_dir=folder),
    ]
    for run in runs:
        if case["expected"] == "error.json":
            with pytest.raises(changegate.InputError) as info:
                run()
            assert info.value.to_json() == expected
        else:
            assert _plain(run()) == json.loads(expected)


def test_an_imported_graph_and_change_decide(tmp_path: Path) -> None:
    folder = REPO / "core" / "tests" / "import"
    graph = changegate.import_files("servicenow-cmdb", {"cis": "cmdb_ci.json", "relationships": "cmdb_rel_ci.json"}, base_dir=folder / "servicenow-cmdb" / "worked-example")
    change = changegate.import_files("servicenow-change", {"change": "change_request.json", "approvals": "sysapproval_approver.json"}, base_dir=folder / "servicenow-change" / "worked-example")
    policy = changegate.Policy.from_sources({"p.gate": 'rule cab {\n  require approval "cab"\n}\n'})
    decision = policy.evaluate(change.document, changegate.Graph.from_dict(graph.document))
    assert decision.outcome != "approved" and [a.group for a in decision.approvals] == ["cab"]


def test_an_unknown_adapter_lists_the_adapters() -> None:
    with pytest.raises(changegate.InputError) as info:
        changegate.import_texts("jira", {})
    assert info.value.document == "import" and "servicenow-change" in (info.value.help or "")
