"""The package keeps its flow: data → study (with protection, the library it calls) → results → publication, the
tools every layer uses below them all and the entry points above. Read from the sources with ``ast``: every import,
at module level or inside a function, relative or absolute. Fast: nothing is imported."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import analysis

# Lowest first. A module may import from its own layer or any layer below it, never from one above.
LAYERS = {"tools": 0, "data": 1, "protection": 2, "study": 3, "results": 4, "publication": 5, "entry": 6}
ENTRY_POINTS = {"analysis.__main__", "analysis.publish"}  # the command line, and what chapters call


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py")) if "__pycache__" not in path.parts}


def layer(module: str) -> str:
    if module in ENTRY_POINTS:
        return "entry"
    second = module.split(".")[1] if "." in module else ""
    return second if second in LAYERS else "tools"


def imported(path: Path, module: str, known: dict[str, Path]) -> list[tuple[int, str]]:
    """Every module of the package that ``module`` imports: (line, module), anywhere in its source."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top = module.split(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # ``from analysis.study import cases`` imports the module analysis.study.cases
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in dict.fromkeys(names) if name.split(".")[0] == top]
    return found


def against_the_flow(root: Path) -> list[str]:
    known = modules(root)
    return [f"{path.relative_to(root.parent)}:{line}: {module} ({layer(module)}) "
            f"imports {target} ({layer(target)})"
            for module, path in known.items() for line, target in imported(path, module, known)
            if LAYERS[layer(target)] > LAYERS[layer(module)]]


def cycles(root: Path) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others (Tarjan's strongly connected
    components of the import graph)."""
    known = modules(root)
    graph = {module: {target for _, target in imported(path, module, known) if target in known and target != module}
             for module, path in known.items()}
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return found


ROOT = Path(analysis.__file__).parent


def test_no_module_imports_against_the_flow():
    assert not against_the_flow(ROOT), "\n".join(against_the_flow(ROOT))


def test_no_modules_import_each_other():
    assert not cycles(ROOT), cycles(ROOT)


def test_the_package_docstring_states_the_flow_the_test_holds():
    first = analysis.__doc__.splitlines()[0]
    assert "data → study" in first and "→ results → publication" in first and "protection" in first, first


@pytest.fixture
def planted(tmp_path):
    """A small package with the faults the checks must see."""
    root = tmp_path / "analysis"
    for folder in ("", "data", "study", "results"):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / "__init__.py").write_text("")
    (root / "paths.py").write_text("")
    (root / "data" / "load.py").write_text("from analysis import paths\n\n\ndef f():\n"
                                          "    from ..results import freshness  # deferred, still against the flow\n")
    (root / "results" / "freshness.py").write_text("from analysis.results import codekeys\n")
    (root / "results" / "codekeys.py").write_text("import analysis.results.freshness\n")
    (root / "study" / "part.py").write_text("from analysis.data import load\nfrom . import other\n")
    (root / "study" / "other.py").write_text("def g():\n    from analysis.study import part\n")
    return root


def test_the_checks_see_a_deferred_relative_import_against_the_flow_and_every_cycle(planted):
    assert [problem.split(": ", 1)[1] for problem in against_the_flow(planted)] == [
        "analysis.data.load (data) imports analysis.results.freshness (results)"]
    assert sorted(cycles(planted)) == [["analysis.results.codekeys", "analysis.results.freshness"],
                                       ["analysis.study.other", "analysis.study.part"]]


LONG_MODULE = 300  # lines: a module longer than this says in its docstring why its length is one concern's


STATED_LENGTH = re.compile(r"Its length \(about (\d+) lines\)")


def test_a_long_module_says_why_its_length_is_one_concern():
    """One concern per module (issue 27): a module over LONG_MODULE lines states "Its length (about N lines) is one
    concern's: …" in its docstring, with N within a tenth of its length (a module that grew says so again), or is
    split."""
    root = Path(analysis.__file__).parent
    unexplained = []
    for module, path in modules(root).items():
        source = path.read_text(encoding="utf-8")
        lines = len(source.splitlines())
        stated = STATED_LENGTH.search(ast.get_docstring(ast.parse(source)) or "")
        if lines > LONG_MODULE and not stated:
            unexplained.append(f"{module}: {lines} lines")
        elif stated and abs(int(stated.group(1)) - lines) > lines / 10:
            unexplained.append(f"{module}: {lines} lines, its docstring says about {stated.group(1)}")
    assert not unexplained, "split these modules, or say in the docstring why the length is one concern's:\n" + "\n".join(unexplained)
