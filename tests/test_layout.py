"""The package is laid out by pipeline stage, and a stage never imports a later one.

    language → guides → understand | index → search → answer → insights | evals → runtime → web → bench → cli

`settings` and `errors` may be imported from anywhere. Two stages of the same rank (understand and
index) may not import each other: the build needs nothing that reads questions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "advisor"
RANKS = {
    "language": 0,
    "guides": 1,
    "understand": 2,
    "index": 2,
    "search": 3,
    "answer": 4,
    "insights": 5,
    "evals": 5,
    "runtime": 6,
    "web": 7,
    "bench": 8,
    "cli": 9,
}
SHARED = {"settings", "errors", "advisor"}  # `advisor` is the package's own __init__ (lazy exports)
BUILD_TIME = {"language", "guides", "index"}


def stage(module: str) -> str:
    """The stage of a dotted module name under advisor ("advisor.index.build" → "index")."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def imports(path: Path) -> set[str]:
    """Every advisor module a file imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("advisor.")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "advisor":  # from advisor import runtime
                found |= {f"advisor.{a.name}" for a in node.names}
            elif node.module.startswith("advisor."):
                found.add(node.module)
    return found


def graph() -> dict[str, set[str]]:
    """module -> the advisor modules it imports, for every module of the package."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(p for p in relative.parts if p != "__init__")
        modules[name] = imports(path)
    return modules


def violations(modules: dict[str, set[str]]) -> list[str]:
    """Each import of a later stage, or of another stage of the same rank, as "importer -> imported"."""
    wrong = []
    for importer, imported in sorted(modules.items()):
        mine = stage(importer)
        for target in sorted(imported):
            theirs = stage(target)
            if theirs in SHARED or theirs == mine or (mine in SHARED and mine != "advisor"):
                continue
            if theirs not in RANKS or mine not in RANKS or RANKS[theirs] >= RANKS[mine]:
                wrong.append(f"{importer} -> {target}")
    return wrong


def test_every_module_belongs_to_a_known_stage() -> None:
    unknown = {stage(m) for m in graph()} - set(RANKS) - SHARED
    assert not unknown, f"modules outside any stage: {unknown}; add the folder to RANKS in this test"


def test_no_stage_imports_a_later_one() -> None:
    assert violations(graph()) == []


def test_the_build_imports_nothing_that_answers_or_serves() -> None:
    modules = graph()
    build = {m: imported for m, imported in modules.items() if stage(m) in BUILD_TIME}
    reached = {stage(t) for imported in build.values() for t in imported}
    assert reached <= BUILD_TIME | {"settings", "errors"}, reached


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("advisor.index.build", "advisor.answer.advisor"),  # the build reaching into answers
        ("advisor.index.build", "advisor.web.app"),
        ("advisor.guides.roadmap", "advisor.understand.roadmap"),
        ("advisor.index.texts", "advisor.understand.query"),  # same rank, other stage
        ("advisor.search.retrieve", "advisor.answer.highlights"),
    ],
)
def test_a_backward_import_is_caught(importer: str, imported: str) -> None:
    modules = graph()
    modules[importer] = modules[importer] | {imported}
    assert violations(modules) == [f"{importer} -> {imported}"]
