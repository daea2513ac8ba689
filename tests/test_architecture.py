"""The package's shape, checked: imports flow one way, names stay private, proofs stand alone.

Read from the source with :mod:`ast` (nothing is imported), so a violation is reported with the
module and line that introduce it:

* the import graph of ``dlnsmooth`` and ``proofs`` has no cycle;
* no module imports another module's ``_private`` name;
* no import hides inside a function, except the few listed in ``LAZY`` with their reason
  (optional dependencies) — never to dodge a cycle;
* no proof imports another proof (shared machinery lives in ``proofs.library``), and no proof
  defines its own ``Exact*`` copy of a condition;
* SymPy expressions are compiled (``lambdify``, ``ArbProgram``) only in ``dlnsmooth.objective``
  (and ``dlnsmooth.balls``, which defines ``ArbProgram``).

Each rule is a function of module sources; it runs on the real tree and, as a negative control,
on a small tree that breaks it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dlnsmooth", "proofs")

#: function-level imports that are allowed, and why
LAZY: dict[tuple[str, str], str] = {
    ("dlnsmooth.plots", "matplotlib"): "optional dependency (the notebooks and test extras)",
    ("dlnsmooth.plots", "matplotlib.pyplot"): "optional dependency (the notebooks and test extras)",
    ("dlnsmooth.plots", "matplotlib.figure"): "optional dependency (the notebooks and test extras)",
    ("dlnsmooth", "dlnsmooth.torch_bridge"): "optional dependency: dlnsmooth.from_torch imports torch on its first call",
}

#: modules allowed to compile SymPy expressions into evaluators
COMPILERS = {"dlnsmooth.objective", "dlnsmooth.balls"}
#: proof modules every proof may import
SHARED_PROOF_MODULES = {"proofs.library", "proofs._runner"}

Tree = dict[str, tuple[str, bool]]  # module name → (source, is a package's __init__)


def _tree() -> Tree:
    found: Tree = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            found[".".join(parts)] = (path.read_text(encoding="utf-8"), is_package)
    return found


TREE = _tree()


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(tree: Tree, module: str) -> list[tuple[str, list[str], int, bool]]:
    """(imported module, names, line, at top level?) for every import in ``module``."""
    source, is_package = tree[module]
    parsed = ast.parse(source)
    top = {id(node) for node in parsed.body}
    for node in parsed.body:  # imports under `if TYPE_CHECKING:` never run: they count as top level
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            top |= {id(n) for n in ast.walk(node)}
    out = []
    for node in ast.walk(parsed):
        if isinstance(node, ast.ImportFrom):
            out.append((_resolve(module, is_package, node), [a.name for a in node.names], node.lineno, id(node) in top))
        elif isinstance(node, ast.Import):
            out.extend((alias.name, [], node.lineno, id(node) in top) for alias in node.names)
    return out


def _internal(tree: Tree, target: str, names: list[str]) -> list[str]:
    """The modules of ``tree`` an import refers to (``from . import x`` may name a submodule)."""
    found = [target] if target in tree else []
    return found + [f"{target}.{name}" for name in names if f"{target}.{name}" in tree]


# -- the rules ----------------------------------------------------------------------------------------
def import_cycle(tree: Tree) -> list[str] | None:
    """A cycle of the import graph (``[a, b, …, a]``), or None."""
    graph = {m: {d for target, names, _, _ in _imports(tree, m) for d in _internal(tree, target, names) if d != m}
             for m in tree}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def private_imports(tree: Tree) -> list[str]:
    return [f"{m}:{line} imports {target}.{name}" for m in tree for target, names, line, _ in _imports(tree, m)
            if target.split(".")[0] in PACKAGES for name in names if name.startswith("_") and not name.startswith("__")]


def lazy_imports(tree: Tree) -> list[str]:
    return [f"{m}:{line} imports {target} inside a function" for m in tree
            for target, _, line, top in _imports(tree, m) if not top and (m, target) not in LAZY]


def proof_offences(tree: Tree) -> list[str]:
    offences = []
    for module in tree:
        if not module.startswith("proofs.") or module in SHARED_PROOF_MODULES:
            continue
        for target, names, line, _ in _imports(tree, module):
            offences += [f"{module}:{line} imports the proof {d}" for d in _internal(tree, target, names)
                         if d.startswith("proofs.") and d not in SHARED_PROOF_MODULES]
        offences += [f"{module}:{node.lineno} defines {node.name}, a private copy of a condition"
                     for node in ast.walk(ast.parse(tree[module][0]))
                     if isinstance(node, ast.ClassDef) and node.name.startswith("Exact")]
    return offences


def compilers(tree: Tree) -> list[str]:
    return [f"{m}:{node.lineno} compiles with {ast.unparse(node.func)}" for m, (source, _) in tree.items()
            if m not in COMPILERS for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(("lambdify", "ArbProgram"))]


# -- the real tree --------------------------------------------------------------------------------------
def test_the_import_graph_has_no_cycle():
    cycle = import_cycle(TREE)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_no_private_name_is_imported_from_another_module():
    offences = private_imports(TREE)
    assert not offences, "\n".join(offences)


def test_no_lazy_imports_beyond_the_listed_ones():
    offences = lazy_imports(TREE)
    assert not offences, "\n".join(offences)


def test_proofs_do_not_import_each_other_nor_copy_conditions():
    offences = proof_offences(TREE)
    assert not offences, "\n".join(offences)


def test_expressions_are_compiled_only_by_the_objective():
    offences = compilers(TREE)
    assert not offences, "\n".join(offences)


# -- negative controls: a tree that breaks every rule ----------------------------------------------------
BAD: Tree = {
    "dlnsmooth": ("", True),
    "dlnsmooth.a": ("from .b import helper\n", False),
    "dlnsmooth.b": ("from .c import thing\n\ndef helper():\n    from .a import _secret\n", False),
    "dlnsmooth.c": ("import sympy as sp\nfrom .a import x\nf = sp.lambdify('x', 'x')\n", False),
    "proofs": ("", True),
    "proofs.library": ("", False),
    "proofs.prop8": ("from .prop9 import step\n\nclass ExactRhoOrder:\n    pass\n", False),
    "proofs.prop9": ("from dlnsmooth.balls import ArbProgram\np = ArbProgram([], [])\n", False),
}


def test_the_rules_catch_a_tree_that_breaks_them():
    assert import_cycle(BAD) == ["dlnsmooth.a", "dlnsmooth.b", "dlnsmooth.a"]  # b imports a, lazily
    assert private_imports(BAD) == ["dlnsmooth.b:4 imports dlnsmooth.a._secret"]
    assert lazy_imports(BAD) == ["dlnsmooth.b:4 imports dlnsmooth.a inside a function"]
    assert proof_offences(BAD) == ["proofs.prop8:1 imports the proof proofs.prop9",
                                   "proofs.prop8:3 defines ExactRhoOrder, a private copy of a condition"]
    assert compilers(BAD) == ["dlnsmooth.c:3 compiles with sp.lambdify", "proofs.prop9:2 compiles with ArbProgram"]
