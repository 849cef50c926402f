"""Type stubs for the native module ``changegate._native`` (pyo3).

Private: use the ``changegate`` package. Every function returns core's JSON
text and raises the exceptions of ``changegate._errors``.
"""

from os import PathLike
from typing import List, Optional, Sequence, Tuple, Union, final

__version__: str

_Path = Union[str, PathLike[str]]

@final
class Policy:
    """A compiled policy set."""

    @staticmethod
    def from_paths(paths: Sequence[_Path], base_dir: Optional[_Path] = None) -> Policy: ...
    @staticmethod
    def from_sources(sources: Sequence[Tuple[str, str]]) -> Policy: ...
    def evaluate_json(self, change: str, graph: Graph) -> str: ...
    def evaluate_many_json(self, changes: Sequence[str], graph: Graph) -> List[str]: ...
    @property
    def digest(self) -> str: ...
    @property
    def files(self) -> List[str]: ...
    @property
    def rules(self) -> List[str]: ...

@final
class Graph:
    """A dependency graph."""

    @staticmethod
    def from_json(text: str) -> Graph: ...
    @property
    def node_count(self) -> int: ...
    @property
    def edge_count(self) -> int: ...
    def contains(self, id: str) -> bool: ...

def impact_json(graph: Graph, targets: Sequence[str]) -> str: ...
def _panic_for_tests() -> None: ...
