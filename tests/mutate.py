"""Mutation testing (``make mutate``): do the fast tests notice a wrong answer in the modules that protect people
and publish numbers?

For each module listed in ``tests/mutation.toml`` a fixed, seeded sample of small changes ("mutants") is made —
a comparison flipped (``<`` to ``<=`` or ``>=``, ``==`` to ``!=``, ``in`` to ``not in``), an int or float constant
moved by one, a condition negated, a returned value dropped, ``and``/``or`` swapped, ``+``/``-`` or ``*``/``/``
swapped, a unary minus removed — and the module's fast tests run on each with ``pytest -x -q``. A mutant is killed
when a test fails (or the tests time out); otherwise it survives. The score is killed / (mutants − survivors
judged equivalent in ``tests/mutation.toml``). Prints the score per module and every surviving mutant.

Why our own harness rather than mutmut 3 or cosmic-ray: neither samples a fixed number of mutants per module (all
of typology's or validate's mutants against tests that fit latent class models or run the Frictionless validator
take hours on 2 cores), and mutmut 3 runs the tests in a ``mutants/`` copy of the package whose trampolines would
also change what ``analysis.paths.ROOT`` and the code keys see. Here each mutant is written into a private
copy of the repository (the work tree is never touched) and the tests run in a forked child of a process that has
already imported the heavy libraries, so a mutant costs its tests and little more.

    python -m tests.mutate                       # every module, the sample sizes of tests/mutation.toml
    python -m tests.mutate disclosure --sample 20 --jobs 2
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tests" / "mutation.toml"
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "_build", "node_modules", "__pycache__", ".pytest_cache",
                                     "mutants")
# Imported once by the parent so that each forked child starts with them loaded.
PRELOAD = ("numpy", "pandas", "scipy.optimize", "frictionless", "sklearn", "stepmix.stepmix", "altair", "yaml",
           "pytest", "bs4", "babel")


@dataclass(frozen=True)
class Mutant:
    module: str
    index: int  # of the node in a fixed traversal of the module's syntax tree
    variant: int  # which change of that node
    line: int
    function: str  # the qualified name of the enclosing function or class, or "<module>"
    before: str
    after: str

    @property
    def name(self) -> str:
        """How the equivalent list names the mutant: stable when lines above it move."""
        return f"{self.function}: {self.before} → {self.after}"

    def __str__(self) -> str:
        return f"{module_file(self.module)}:{self.line}: {self.name}"


def module_file(module: str) -> str:
    """Where a mutated module lives, relative to the repository: analysis/<room>/<module>.py."""
    return next((ROOT / "analysis").rglob(f"{module}.py")).relative_to(ROOT).as_posix()


# -- Making mutants ----------------------------------------------------------------------------------------

COMPARISONS = {ast.Lt: (ast.LtE, ast.GtE), ast.LtE: (ast.Lt, ast.Gt), ast.Gt: (ast.GtE, ast.LtE),
               ast.GtE: (ast.Gt, ast.Lt), ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,), ast.In: (ast.NotIn,),
               ast.NotIn: (ast.In,), ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,)}
ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}


def _nodes(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    """Every node that may be mutated, with its enclosing function, in a fixed order.

    Left out: docstrings, annotations (never evaluated: the modules import ``annotations`` from __future__) and
    f-strings (the wording of messages, not what they report)."""
    found = []

    def visit(node, scope, parent):
        if isinstance(node, ast.JoinedStr):
            return
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # a docstring
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope = f"{scope}.{node.name}" if scope != "<module>" else node.name
        found.append((node, scope, parent))
        for name, value in ast.iter_fields(node):
            if name in ("annotation", "returns"):
                continue
            for child in (value if isinstance(value, list) else [value]):
                if isinstance(child, ast.AST):
                    visit(child, scope, node)

    visit(tree, "<module>", None)
    return found


def _changes(node: ast.AST, parent: ast.AST | None) -> list:
    """The changes of one node, each a function that applies it to (a fresh copy of) that node."""
    changes = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for other in COMPARISONS.get(type(op), ()):
                changes.append(lambda n, i=i, other=other: n.ops.__setitem__(i, other()))
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        if not (isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.USub)):
            for step in (1, -1):
                changes.append(lambda n, step=step: setattr(n, "value", n.value + step))
    elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
        changes.append(lambda n: setattr(n, "test", _negated(n.test)))
    elif isinstance(node, ast.comprehension):
        for i in range(len(node.ifs)):
            changes.append(lambda n, i=i: n.ifs.__setitem__(i, _negated(n.ifs[i])))
    elif isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        changes.append(lambda n: setattr(n, "value", None))
    elif isinstance(node, ast.BoolOp):
        changes.append(lambda n: setattr(n, "op", ast.Or() if isinstance(n.op, ast.And) else ast.And()))
    elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in ARITHMETIC:
        changes.append(lambda n: setattr(n, "op", ARITHMETIC[type(n.op)]()))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        changes.append(lambda n: setattr(n, "op", ast.UAdd()))
    return changes


def _negated(test: ast.expr) -> ast.expr:
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test.operand
    return ast.UnaryOp(op=ast.Not(), operand=test)


def _shown(node: ast.AST) -> str:
    """The changed code, on one line: an expression as itself, a statement by its first line."""
    if isinstance(node, ast.If):
        return f"if {ast.unparse(node.test)}"
    if isinstance(node, ast.While):
        return f"while {ast.unparse(node.test)}"
    if isinstance(node, ast.comprehension):
        return " ".join(f"if {ast.unparse(t)}" for t in node.ifs)
    return ast.unparse(node).splitlines()[0]


def _context(node: ast.AST, parent: ast.AST | None) -> ast.AST:
    """What to show around a change: a constant together with the expression it sits in."""
    if isinstance(node, ast.Constant) and isinstance(parent, (ast.expr, ast.keyword)):
        return parent
    return node


def mutants(module: str, source: str) -> list[Mutant]:
    """Every mutant of ``source``, in a fixed order."""
    found = []
    for index, (node, scope, parent) in enumerate(_nodes(ast.parse(source))):
        for variant, _ in enumerate(_changes(node, parent)):
            mutated = _mutated_tree(source, index, variant)
            shown_before = _shown(_context(node, parent))
            shown_after = _shown(_context(*_find(mutated, index)))
            line = node.lineno if hasattr(node, "lineno") else node.ifs[0].lineno  # a comprehension has none
            found.append(Mutant(module, index, variant, line, scope, shown_before, shown_after))
    return found


def _find(tree: ast.AST, index: int) -> tuple[ast.AST, ast.AST | None]:
    node, _, parent = _nodes(tree)[index]
    return node, parent


def _mutated_tree(source: str, index: int, variant: int) -> ast.AST:
    tree = ast.parse(source)
    node, parent = _find(tree, index)
    _changes(node, parent)[variant](node)
    return ast.fix_missing_locations(tree)


def mutated_source(source: str, mutant: Mutant) -> str:
    return ast.unparse(_mutated_tree(source, mutant.index, mutant.variant)) + "\n"


def sample(all_mutants: list[Mutant], size: int, seed: int) -> list[Mutant]:
    """A fixed sample: the same source, size and seed give the same mutants on any machine."""
    if size >= len(all_mutants):
        return list(all_mutants)
    rng = random.Random(f"{seed}:{all_mutants[0].module}")
    return sorted(rng.sample(all_mutants, size), key=lambda m: (m.line, m.index, m.variant))


# -- Running the tests -------------------------------------------------------------------------------------

def _child(copy: Path, tests: list[str]) -> None:
    """In the forked child: run the tests on the copy, exit with pytest's code. Never returns."""
    code = 4
    try:
        os.setpgid(0, 0)  # so that a timeout also ends the subprocesses a test started
        os.chdir(copy)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        for name in list(sys.modules):  # the package and the tests come fresh from the copy
            if name.split(".")[0] in ("analysis", "tests"):
                del sys.modules[name]
        sys.path[:] = [str(copy)] + [p for p in sys.path if p and Path(p).resolve() != ROOT]
        os.environ["PYTHONPATH"] = str(copy)
        import pytest

        code = int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
                                "-m", "not build and not browser and not recompute", *tests]))
    finally:
        os._exit(code)


def _start(copy: Path, tests: list[str]) -> int:
    pid = os.fork()
    if pid == 0:
        _child(copy, tests)
    return pid


def _end(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def run_all(copies: list[Path], module: str, sources: list[str], tests: list[str], timeout: float,
            show: bool = True) -> list[str]:
    """Each source in turn written into a free copy and tested, one per copy at a time: "killed", "survived" or
    "timeout" for each."""
    results: list[str | None] = [None] * len(sources)
    free = list(copies)
    running: dict[int, tuple[int, Path, float]] = {}  # pid: (which source, its copy, started)
    pending = list(range(len(sources)))
    try:
        _loop(copies, module, sources, tests, timeout, show, results, free, running, pending)
    finally:  # interrupted: end the tests still running, so that the copies can be removed
        for pid in running:
            _end(pid)
    return results


def _loop(copies, module, sources, tests, timeout, show, results, free, running, pending) -> None:
    while pending or running:
        while pending and free:
            k, copy = pending.pop(0), free.pop(0)
            (copy / module_file(module)).write_text(sources[k], encoding="utf-8")
            running[_start(copy, tests)] = (k, copy, time.monotonic())
        for pid, (k, copy, started) in list(running.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                results[k] = "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
            elif time.monotonic() - started > timeout:
                _end(pid)
                results[k] = "timeout"
            else:
                continue
            del running[pid]
            free.append(copy)
            if show:
                print("." if results[k] != "survived" else "S", end="", flush=True)
        time.sleep(0.02)


# -- The run -----------------------------------------------------------------------------------------------

def load_config(path: Path = CONFIG) -> dict:
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    for module, settings in config["modules"].items():
        if not list((ROOT / "analysis").rglob(f"{module}.py")):
            raise SystemExit(f"{path}: [modules.{module}]: no file analysis/<room>/{module}.py")
        if not test_files(settings):
            raise SystemExit(f"{path}: [modules.{module}]: no test file matches {settings['tests']}")
    return config


def test_files(settings: dict) -> list[str]:
    """The module's test files, then a --deselect for each slow test the config leaves out."""
    files = list(dict.fromkeys(str(p.relative_to(ROOT)) for pattern in settings["tests"]  # in the config's order
                               for p in sorted(ROOT.glob(pattern))))
    return files + [arg for test in settings.get("deselect", []) for arg in ("--deselect", test)] if files else []


def equivalent(config: dict) -> dict[tuple[str, str], str]:
    """{(module, mutant name): why the change does not alter what the module does}."""
    listed = {}
    for entry in config.get("equivalent", []):
        if not entry.get("reason", "").strip():
            raise SystemExit(f"{CONFIG}: equivalent mutant {entry.get('mutant')!r} of {entry.get('module')} has no reason")
        listed[(entry["module"], entry["mutant"])] = entry["reason"]
    return listed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: every module in tests/mutation.toml)")
    parser.add_argument("--sample", type=int, help="mutants per module (default: each module's sample in the config)")
    parser.add_argument("--seed", type=int, help="seed of the sample (default: the config's)")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATE_JOBS", 2)),
                        help="mutants tested at once, each in its own copy (default 2, or MUTATE_JOBS)")
    parser.add_argument("--timeout", type=float, help="seconds per mutant before it counts as killed "
                                                        "(default: 4 × the time of the unchanged module's tests)")
    parser.add_argument("--list", action="store_true", help="list the sampled mutants and stop")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up the copies when stopped
    config = load_config()
    seed = args.seed if args.seed is not None else config["seed"]
    names = args.modules or list(config["modules"])
    unknown = [n for n in names if n not in config["modules"]]
    if unknown:
        raise SystemExit(f"not in {CONFIG.name}: {', '.join(unknown)} (known: {', '.join(config['modules'])})")
    harmless = equivalent(config)

    plans = {}
    for name in names:
        settings = config["modules"][name]
        source = (ROOT / module_file(name)).read_text(encoding="utf-8")
        every = mutants(name, source)
        plans[name] = (source, sample(every, args.sample or settings["sample"], seed), len(every), test_files(settings))
    if args.list:
        for name, (_, chosen, total, tests) in plans.items():
            print(f"{name}: {len(chosen)} of {total} mutants; tests: {' '.join(tests)}")
            for m in chosen:
                print(f"  {m}")
        return 0

    for module in PRELOAD:
        try:
            __import__(module)
        except ImportError:
            pass
    summary = []
    with tempfile.TemporaryDirectory(prefix="bbox-mutate-") as tmp:
        copies = [Path(tmp) / f"repo{i}" for i in range(max(1, args.jobs))]
        for copy in copies:
            shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
        os.environ["BBOX_CACHE_DIR"] = str(Path(tmp) / "cache")
        for name, (source, chosen, total, tests) in plans.items():
            started = time.monotonic()
            if run_all(copies[:1], name, [source], tests, 900, show=False) != ["survived"]:
                raise SystemExit(f"{name}: the tests fail on the unchanged module ({' '.join(tests)}): fix them first")
            seconds = time.monotonic() - started
            timeout = args.timeout or max(30.0, 4 * seconds)
            print(f"{name}: {len(chosen)} of {total} mutants, tests {' '.join(t for t in tests if t.endswith('.py'))} "
                  f"({seconds:.1f} s unchanged, timeout {timeout:.0f} s)", flush=True)
            results = run_all(copies, name, [mutated_source(source, m) for m in chosen], tests, timeout)
            for copy in copies:  # the original back, for the next module's tests
                (copy / module_file(name)).write_text(source, encoding="utf-8")
            survived = [m for m, r in zip(chosen, results) if r == "survived" and (name, m.name) not in harmless]
            judged = [m for m, r in zip(chosen, results) if r == "survived" and (name, m.name) in harmless]
            killed = len(chosen) - len(survived) - len(judged)
            counted = len(chosen) - len(judged)
            score = killed / counted if counted else 1.0
            print(f"\n{name}: {killed} of {counted} killed ({score:.0%}); {len(judged)} judged equivalent; "
                  f"{time.monotonic() - started:.0f} s")
            for mutant in survived:
                print(f"  survived    {mutant}")
            for mutant in judged:
                print(f"  equivalent  {mutant}  ({harmless[(name, mutant.name)]})")
            summary.append((name, killed, counted, len(judged), score))
    print("\nmodule        killed / counted   score   (equivalent)")
    for name, killed, counted, judged, score in summary:
        print(f"{name:<13} {killed:>6} / {counted:<7}   {score:>5.0%}   ({judged})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
