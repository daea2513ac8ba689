"""The package's shape, checked: imports flow one way, names stay private, proofs stand alone.

Read from the source with :mod:`ast` (nothing is imported), so a violation is reported with the
module and line that introduce it:

* the import graph of ``dlnsmooth`` and ``proofs`` has no cycle;
* no module imports another module's ``_private`` name;
* no import hides inside a function, except the few listed in ``LAZY`` with their reason
  (optional dependencies, or the work a command does on demand) — never to dodge a cycle;
* no proof imports another proof (shared machinery lives in ``proofs.library``), and no proof
  defines its own ``Exact*`` copy of a condition;
* SymPy expressions are compiled (``lambdify``, ``ArbProgram``) only in ``dlnsmooth.objective``
  (and ``dlnsmooth.balls``, which defines ``ArbProgram``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dlnsmooth", "proofs")

#: function-level imports that are allowed, and why
LAZY: dict[tuple[str, str], str] = {
    ("dlnsmooth.plots", "matplotlib"): "optional dependency (the notebooks and test extras)",
    ("dlnsmooth.plots", "matplotlib.pyplot"): "optional dependency (the notebooks and test extras)",
    ("dlnsmooth.progress", "tqdm"): "progress bars are a convenience, never a requirement",
    ("proofs", "importlib"): "the claim registry loads a proof module on demand",
}

#: modules allowed to compile SymPy expressions into evaluators
COMPILERS = {"dlnsmooth.objective", "dlnsmooth.balls"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> list[tuple[str, list[str], int, bool]]:
    """(imported module, names, line, at top level?) for every import in ``module``."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    # imports inside `if TYPE_CHECKING:` blocks count as top-level (they never run)
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            top |= {id(n) for n in ast.walk(node)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            out.append((target, [a.name for a in node.names], node.lineno, id(node) in top))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                out.append((alias.name, [], node.lineno, id(node) in top))
    return out


def _internal(target: str, names: list[str]) -> list[str]:
    """The package modules an import refers to (``from . import x`` may name a submodule)."""
    found = []
    if target in MODULES:
        found.append(target)
    for name in names:
        if f"{target}.{name}" in MODULES:
            found.append(f"{target}.{name}")
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for target, names, _, _ in _imports(module):
            for dependency in _internal(target, names):
                if dependency != module:
                    graph[module].add(dependency)
    return graph


def test_the_import_graph_has_no_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_the_checker_sees_a_cycle():
    # negative control: a hand-made graph with a cycle is found by the same search
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    seen, found = set(), []

    def visit(node, path):
        if node in path:
            found.append(path[path.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        for nxt in graph[node]:
            visit(nxt, path + [node])

    visit("a", [])
    assert found == [["a", "b", "c", "a"]]


def test_no_private_name_is_imported_from_another_module():
    offences = []
    for module in MODULES:
        for target, names, line, _ in _imports(module):
            if not (target.startswith(PACKAGES) or target.split(".")[0] in PACKAGES):
                continue
            for name in names:
                if name.startswith("_") and not name.startswith("__"):
                    offences.append(f"{module}:{line} imports {target}.{name}")
    assert not offences, "\n".join(offences)


def test_no_lazy_imports_beyond_the_listed_ones():
    offences = []
    for module in MODULES:
        for target, _, line, top in _imports(module):
            if not top and (module, target) not in LAZY:
                offences.append(f"{module}:{line} imports {target} inside a function")
    assert not offences, "\n".join(offences)


def test_proofs_do_not_import_each_other_nor_copy_conditions():
    offences = []
    for module in MODULES:
        if not module.startswith("proofs.") or module in ("proofs.library", "proofs._runner"):
            continue
        for target, names, line, _ in _imports(module):
            for dependency in _internal(target, names):
                if dependency.startswith("proofs.") and dependency not in ("proofs.library", "proofs._runner"):
                    offences.append(f"{module}:{line} imports the proof {dependency}")
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name.startswith("Exact"):
                offences.append(f"{module}:{node.lineno} defines {node.name}, a private copy of a condition")
    assert not offences, "\n".join(offences)


def test_expressions_are_compiled_only_by_the_objective():
    offences = []
    for module, path in MODULES.items():
        if module in COMPILERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name.endswith("lambdify") or name.endswith("ArbProgram"):
                    offences.append(f"{module}:{node.lineno} compiles with {name}")
    assert not offences, "\n".join(offences)
