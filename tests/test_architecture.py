"""The package's shape, checked: layers, import cycles, module and function sizes.

The layers are those of docs/architecture.md (from the bottom): ``errors`` < ``model`` < ``io``
< ``engine`` < ``dynamics`` | ``forecast`` < ``studies`` | ``plots`` < ``report`` < ``cli``.
A module may import from its own layer or a lower one; siblings (``dynamics``/``forecast``,
``studies``/``plots``) do not import each other. Every import counts, also one inside a function
(a lazy import is still a dependency); an import under ``if TYPE_CHECKING:`` is not one (it
only names a type for annotations). The package root (``negotiation/__init__.py``, the facade)
and ``__main__`` sit above everything.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "negotiation"

#: Layer of each top-level sub-package or module of ``negotiation``; equal ranks are siblings.
LAYERS = {
    "errors": 0,
    "_forward": 0,
    "model": 1,
    "io": 2,
    "formats": 2,
    "engine": 3,
    "dynamics": 4,
    "forecast": 4,
    "studies": 5,
    "plots": 5,
    "report": 6,
    "cli": 7,
}
#: Same-rank layers that may import each other; other siblings stay independent.
SIBLINGS_ALLOWED: set[tuple[str, str]] = {
    ("formats", "io")
}  # formats/ only re-exports io/ (old paths)

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100
#: A function longer than MAX_FUNCTION_LINES carries this comment just above its ``def``.
SIZE_REASON = "# size:"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(name: str, path: Path) -> set[str]:
    """Every ``negotiation`` module that ``name`` imports (resolved to modules that exist)."""
    modules = _modules()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if not target.startswith("negotiation"):
                continue
            while target and target not in modules:  # a name inside a module -> the module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@functools.cache
def _graph() -> dict[str, set[str]]:
    return {name: _imports(name, path) for name, path in _modules().items()}


def _layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_subpackage_has_a_layer():
    unknown = {_layer(m) for m in _modules()} - set(LAYERS) - {None, "__main__", "scenarios"}
    assert not unknown, f"give these a layer in LAYERS and docs/architecture.md: {unknown}"


def test_no_upward_or_sideways_imports():
    bad = []
    for name, targets in _graph().items():
        low = _layer(name)
        if low not in LAYERS:
            continue
        for target in targets:
            high = _layer(target)
            if high is None or high == low or high not in LAYERS:
                continue
            if LAYERS[high] > LAYERS[low] or (
                LAYERS[high] == LAYERS[low] and (low, high) not in SIBLINGS_ALLOWED
            ):
                bad.append(f"{name} -> {target}")
    assert not bad, "imports against the layers:\n" + "\n".join(sorted(bad))


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if _layer(nxt) is None:  # the facade re-exports everything; it is no dependency
                continue
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state and _layer(node) is not None:
            visit(node, [])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("name", sorted(_modules()))
def test_module_size(name):
    lines = _modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines; split it along a real seam"


def test_function_sizes():
    long = []
    for name, path in _modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            size = node.end_lineno - node.lineno + 1
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            near = lines[max(first - 2, 0) : node.lineno]
            if size > MAX_FUNCTION_LINES and not any(SIZE_REASON in line for line in near):
                long.append(f"{name}.{node.name} ({size} lines, line {node.lineno})")
    assert not long, (
        f"functions over {MAX_FUNCTION_LINES} lines without a '{SIZE_REASON} <reason>' "
        "comment above them:\n" + "\n".join(long)
    )
