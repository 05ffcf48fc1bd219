"""The package's architecture, read from its imports (with ast, so function-level imports count too).

- Reading and checking content never needs an output: nothing that ``check`` loads (generator.checking,
  generator.reading, generator.model, and whatever they import in turn) imports generator.outputs or
  generator.website. A rule about what the open data must hold reads the model's declarations
  (generator.model.opendata), never the output code.
- The import graph has no cycle. A cycle hidden by an import inside a function still makes the two
  modules one unit that cannot be understood, tested or moved apart, so those imports count here.

Imports under ``if TYPE_CHECKING:`` are left out: they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
#: The parts of the check stage, and what they must never import.
CHECK_STAGE = ("generator.checking", "generator.reading", "generator.model")
OUTPUT_CODE = ("generator.outputs", "generator.website")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of generator/, by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(tree: ast.AST) -> set[ast.AST]:
    """The import statements that sit under ``if TYPE_CHECKING:``."""
    skipped: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                skipped.update(ast.walk(inner))
    return skipped


def imported(name: str, source: str, known: set[str]) -> Iterator[str]:
    """The modules of ``known`` that the module ``name`` imports anywhere in ``source`` (module level,
    in functions, in classes), relative imports resolved. ``from a import b`` names the module ``a.b``
    when there is one, else ``a``."""
    tree = ast.parse(source)
    skipped = _type_checking_only(tree)
    package = name if f"{name}.__init__" in known else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            # `import a.b.c` runs a.b.c; the deepest module of ours that the name reaches
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of generator/ it imports (module level and function level)."""
    found = modules()
    known = set(found) | {f"{name}.__init__" for name, path in found.items() if path.name == "__init__.py"}
    return {name: set(imported(name, path.read_text(encoding="utf-8"), known)) for name, path in found.items()}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _loaded_by(name: str, graph: dict[str, set[str]]) -> dict[str, str | None]:
    """Every module that importing ``name`` runs (its packages' __init__ included), each with the module
    that led to it (None for ``name`` itself)."""
    came_from: dict[str, str | None] = {name: None}
    todo = [name]
    while todo:
        current = todo.pop(0)  # breadth first: the shortest chain to each module
        parents = [current.rsplit(".", depth)[0] for depth in range(1, current.count(".") + 1)]
        for target in [*graph.get(current, ()), *(p for p in parents if p in graph)]:
            if target not in came_from:
                came_from[target] = current
                todo.append(target)
    return came_from


def _chain(came_from: dict[str, str | None], end: str) -> str:
    chain = [end]
    while (previous := came_from[chain[-1]]) is not None:
        chain.append(previous)
    return " -> ".join(reversed(chain))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _a_cycle(component: list[str], graph: dict[str, set[str]]) -> str:
    """One cycle through the component's first module, written out: a -> b -> a."""
    members, start = set(component), component[0]
    came_from: dict[str, str | None] = {start: None}
    todo = [start]
    while todo:
        current = todo.pop(0)
        for target in sorted(graph[current] & members):
            if target == start:
                return _chain(came_from, current) + f" -> {start}"
            if target not in came_from:
                came_from[target] = current
                todo.append(target)
    return ", ".join(component)


# -- the tests ---------------------------------------------------------------------------------------

def test_the_check_stage_imports_no_output_code():
    graph = import_graph()
    wrong: dict[str, str] = {}  # each output module loaded, with the first chain of imports that loads it
    for name in sorted(graph):
        if _within(name, CHECK_STAGE):
            came_from = _loaded_by(name, graph)
            for target in sorted(came_from):
                if _within(target, OUTPUT_CODE):
                    wrong.setdefault(target, _chain(came_from, target))
    assert not wrong, "the check stage loads output code:\n" + "\n".join(wrong.values())


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles (imports inside functions included):\n" + "\n".join(_a_cycle(c, graph) for c in found)


def test_function_level_and_relative_imports_are_seen():
    known = {"generator", "generator.__init__", "generator.outputs", "generator.outputs.__init__",
             "generator.outputs.feeds", "generator.urls", "generator.model", "generator.model.__init__",
             "generator.model.common"}
    source = ("import generator.urls\n"
              "def later():\n    from generator.outputs import feeds\n"
              "class Lazy:\n    def method(self):\n        from ..model.common import LANGUAGES\n"
              "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from generator.model import Content\n")
    assert set(imported("generator.outputs.search", source, known)) == {
        "generator.urls", "generator.outputs.feeds", "generator.model.common"}


def test_cycles_are_found_and_written_out():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert _a_cycle(["a", "b", "c"], graph) == "a -> b -> c -> a"
