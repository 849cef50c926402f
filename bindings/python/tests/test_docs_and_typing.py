"""The README example runs, the example script runs, and the type stubs work with mypy."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO

HERE = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_readme_example_runs_from_the_repository_root() -> None:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks, "no python example in the README"
    example = blocks[0]
    assert len(example.strip().splitlines()) <= 10
    done = _run([sys.executable, "-c", example], cwd=REPO)
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first == "denied 2027-01-04 05:00:00+00:00"  # as the comment in the README says
    assert "# denied 2027-01-04 05:00:00+00:00" in example


def test_readme_import_example_runs_from_the_repository_root() -> None:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "import_files" in b)
    done = _run([sys.executable, "-c", example], cwd=REPO)
    assert done.returncode == 0, done.stderr
    printed = done.stdout.strip()
    assert f"# {printed}" in example  # as the comment in the README says
    assert printed.startswith("denied [('cab', ['Bob Stone'])]")


def test_readme_tooling_example_prints_what_its_comments_say() -> None:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "run_tests" in b)
    done = _run([sys.executable, "-c", example], cwd=REPO)
    assert done.returncode == 0, done.stderr
    said = [line.split("#", 1)[1][1:].rstrip() for line in example.splitlines() if "print(" in line]
    assert done.stdout.splitlines() == said


def test_typed_example_runs() -> None:
    done = _run([sys.executable, str(HERE / "examples" / "typed_usage.py")], cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "CHG-CAL-3: denied, next allowed start 2027-01-04 05:00 UTC" in done.stdout
    assert "orders-db blast radius: 10 nodes" in done.stdout


def _mypy(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy")
    cache = REPO / ".venv" / ".mypy_cache" if (REPO / ".venv").is_dir() else None
    extra = ["--cache-dir", str(cache)] if cache else ["--cache-dir", os.devnull]
    return _run([sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", *extra, *args], cwd=cwd)


def test_package_passes_mypy_strict() -> None:
    done = _mypy("-p", "changegate", cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_catches_misuse(tmp_path: Path) -> None:
    # The annotations are real: wrong uses of the API are type errors.
    script = tmp_path / "misuse.py"
    script.write_text(
        textwrap.dedent(
            """\
            import changegate
            graph = changegate.Graph.from_file("graph.json")
            policy = changegate.Policy.from_sources({"a.gate": ""})
            decision = policy.evaluate({"id": "x"}, graph)
            n: int = decision.outcome
            decision.next_allowed_start.isoformat()
            changegate.impact(graph, [1])
            try:
                pass
            except changegate.PolicyError as e:
                e.diagnostics[0].line + "x"
            policy.evaluate({"id": "x"}, {})
            decision.approvals[0].granted_by.upper()
            """
        )
    )
    done = _mypy(str(script), cwd=tmp_path)
    assert done.returncode == 1
    lines = sorted({int(m) for m in re.findall(r"misuse\.py:(\d+): error", done.stdout)})
    assert lines == [5, 6, 7, 11, 12, 13], done.stdout
