"""Keys of code and files that change only when what they mean changes.

- :func:`source_key`: a Python file's syntax tree without comments, docstrings or layout; a YAML or JSON file's
  parsed content. A comment, a docstring, a blank line or a re-wrapped line changes no key.
- :func:`code_key`: the source keys of a module and of every module of its package that it imports, statically
  and transitively (imports inside functions included), with the files those modules read as code (``RESOURCES``).
- :func:`file_digest`: a file's bytes (data files: every byte is data), by :mod:`analysis.hashing`;
- :func:`fit_path`: where a model fitted on a frame is cached, under its code, data and files;
- :func:`checked`: whether some content passed a check made by code as it is now (the validation of the data).
- :func:`declared_producers`: every ``publishes("prefix")`` of the package, found in the sources without importing
  them, so that a no-op build need not import the study's modules.

Every key is memoised per file by its size and modification time: a build hashes each file once.
Its length (about 330 lines) is one concern's: every key shares that memo, and the import closure a code key
follows is also what finds a module's resources and the producers its sources declare.

This module sits below data/, study/ and results/ (it imports only :mod:`analysis.paths` and
:mod:`analysis.hashing`): every layer keys its caches with it.
"""

from __future__ import annotations

import ast
import atexit
import hashlib
import importlib.util
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path


from analysis import hashing, paths, yaml_text

# Files a module reads as part of its code, beyond the folder named like it (``i18n.py`` → ``i18n/``) or, for a
# package, its own folder: a change in them is a change of that module.
RESOURCES = {
    "analysis.publication.findings": (paths.EDITIONS / "key_findings.yml",),
    "analysis.publication.citation": (paths.ROOT / "CITATION.cff",),
    "analysis.publication.terminology": (paths.EDITIONS / "terminology.yml",),
    "analysis.publication.translations": (paths.EDITIONS / "translations.yml", paths.EDITIONS / "translations.lock.yml"),
    "analysis.results.pins": (paths.RESULTS / "numbers.json", paths.RESULTS / "provenance.json"),
}

# Keys already computed, by file: in memory, and on disk across builds (a no-op build parses no source again).
# A file keeps its key while it keeps its size, modification time and inode, as for make.
_memo: dict[str, list] = {}
_loaded: list[Path] = []  # the cache file read into _memo, if any
_changed: list[bool] = [False]


def _memo_file() -> Path:
    return paths.CACHE / "codekeys.json"


def _load_memo() -> None:
    if _loaded != [_memo_file()]:
        _loaded[:] = [_memo_file()]
        try:
            _memo.update(json.loads(_memo_file().read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass


def save_memo() -> None:
    """Write the keys computed in this process for the next one (atomically: concurrent writers each leave a
    complete file)."""
    if _changed[0]:
        _memo_file().parent.mkdir(parents=True, exist_ok=True)
        tmp = _memo_file().with_name(f"codekeys.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(_memo), encoding="utf-8")
        tmp.replace(_memo_file())
        _changed[0] = False


atexit.register(save_memo)


def _stat_memo(kind: str, path: Path, compute):
    """``compute(path)`` (a JSON value), remembered while the file keeps its size, modification time and inode."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return "missing"
    _load_memo()
    memo_key, signature = f"{kind}|{path}", [stat.st_mtime_ns, stat.st_size, stat.st_ino]
    found = _memo.get(memo_key)
    if found is None or found[0] != signature:
        found = _memo[memo_key] = [signature, compute(path)]
        _changed[0] = True
    return found[1]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def file_digest(path: Path) -> str:
    """The digest of a file's bytes ("missing" if there is none), by the package's one file hasher."""
    return _stat_memo("bytes", Path(path), lambda p: hashing.file_hash(p, 16))


def checked(check: str, content: str, module: str, passed: bool = False) -> bool:
    """Whether ``content`` (a digest) passed ``check``, made by ``module``'s code as it is now, in an earlier run; with
    ``passed``, remember that it did. (A whole-data validation costs seconds; a build needs it once per content.)"""
    marker = paths.CACHE / "checked" / f"{check}-{content}-{code_key(module)}"
    if passed:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    return marker.exists()


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                node.body = node.body[1:] or [ast.Pass()]
    return tree


def _meaning(path: Path) -> bytes:
    text = path.read_bytes()
    if path.suffix == ".py":
        return ast.dump(_without_docstrings(ast.parse(text))).encode()
    if path.suffix in (".yml", ".yaml", ".json"):
        return json.dumps(yaml_text.parse(text), sort_keys=True, default=str).encode()
    return text


def source_key(path: Path) -> str:
    """The digest of what a source file means: comments, docstrings and layout left out."""
    return _stat_memo("meaning", Path(path), lambda p: _digest(_meaning(p)))


def _package_root(top: str) -> Path | None:
    imported = sys.modules.get(top)  # the package as imported (cheap, and right when a test swaps it)
    if imported is not None and getattr(imported, "__path__", None):
        return Path(list(imported.__path__)[0])
    spec = importlib.util.find_spec(top)
    return Path(spec.submodule_search_locations[0]) if spec and spec.submodule_search_locations else None


def module_file(module: str) -> Path | None:
    """The source file of ``module`` (a package's ``__init__.py``), found without importing it."""
    top, *rest = module.split(".")
    root = _package_root(top)
    if root is None:
        return None
    base = root.joinpath(*rest)
    for candidate in (base / "__init__.py", base.with_suffix(".py") if rest else None):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def _imported_names(path: Path, module: str) -> list[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return names


def imports(module: str) -> list[str]:
    """The modules of ``module``'s own package that it imports, and the packages they sit in."""
    path = module_file(module)
    if path is None:
        return []
    top = module.split(".")[0]
    names = _stat_memo(f"imports:{module}", path, lambda p: _imported_names(p, module))
    found = set()
    for name in names:
        parts = name.split(".")
        if parts[0] == top:
            found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return sorted(m for m in found if m != module and module_file(m) is not None)


def closure(modules) -> list[str]:
    """``modules``, their packages and everything they import from their own package, transitively."""
    seen: set[str] = set()
    todo = [m for m in modules if module_file(m) is not None]
    for module in list(todo):
        parts = module.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += imports(module)
    return sorted(seen)


def _folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The files under ``folder`` that are not Python, outside subpackages; and the folders walked."""
    files, folders = [], []
    for root, dirs, names in os.walk(folder):
        folders.append(Path(root))
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not os.path.exists(os.path.join(root, d, "__init__.py")))
        files += [Path(root, name) for name in sorted(names) if not name.endswith((".py", ".pyc"))]
    return files, folders


def resources(module: str, declared: bool = True) -> tuple[list[Path], list[Path]]:
    """The files ``module`` reads as code (its folder's, and if ``declared`` those ``RESOURCES`` names), and the
    folders they were looked for in."""
    path = module_file(module)
    if path is None:
        return [], []
    folder = path.parent if path.name == "__init__.py" else path.with_suffix("")
    files, folders = _folder_files(folder) if folder.is_dir() else ([], [])
    # The fixed strings are no code: each is read by key and language (analysis.reads.words), and whoever reads one,
    # a producer or a page, keys on that string, so an edit of other strings moves nothing that did not read them.
    files = [file for file in files if not file.is_relative_to(paths.STRINGS)]
    return files + [Path(p) for p in RESOURCES.get(module, ()) if declared], folders


def _signature(paths_: list[Path]) -> tuple:
    """The size and modification time of files and folders: while it holds, no key can have changed."""
    signature = []
    for path in paths_:
        try:
            stat = os.stat(path)
            signature.append((stat.st_mtime_ns, stat.st_size, stat.st_ino))
        except FileNotFoundError:
            signature.append(None)
    return tuple(signature)


_module_keys: dict[tuple, tuple[list[Path], tuple, dict]] = {}


def module_keys(modules, declared: bool = True) -> dict[str, str]:
    """Per module of the closure of ``modules``: the key of its source and of its resources."""
    memo_key = (*sorted(modules), declared)
    if memo_key in _module_keys:
        watched, signature, keys = _module_keys[memo_key]
        if _signature(watched) == signature:
            return keys
    keys, watched = {}, []
    for module in closure(modules):
        source = module_file(module)
        files, folders = resources(module, declared)
        keys[module] = _digest("\n".join([source_key(source)] + [f"{relative(p)}={source_key(p)}" for p in files]).encode())
        watched += [source, source.parent, *files, *folders]
    _module_keys[memo_key] = (watched, _signature(watched), keys)
    return keys


def code_key(*modules: str) -> str:
    """One key for the code of ``modules`` as they run: changes when a module they import changes meaning."""
    return _digest(json.dumps(module_keys(modules), sort_keys=True).encode())


def relative(path: Path) -> str:
    """A path as the messages show it: relative to the repository when inside it."""
    path = Path(path)
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


def module_of(function: str) -> str:
    """The module part of a dotted function name (``analysis.study.survey.typology_membership``)."""
    module = function
    while module and module_file(module) is None:
        module = module.rpartition(".")[0]
    return module or function


def module_place(module: str) -> str:
    """Where a module's code is, as an author looks for it: ``analysis/study/survey`` (a package or a file)."""
    path = module_file(module)
    if path is None:
        return module
    return relative(path.parent if path.name == "__init__.py" else path.with_suffix(""))


def fit_path(name: str, module: str, frame, *files: Path) -> Path:
    """Where a model fitted by ``module`` on ``frame`` (and on ``files``, e.g. its codebook) is cached: a new fit
    whenever the code, the data or those files change, and only then."""
    import pandas as pd

    digest = hashlib.sha256(pd.util.hash_pandas_object(frame).to_numpy().tobytes()
                            + json.dumps([list(map(str, frame.columns))] + [file_digest(f) for f in files]).encode())
    return paths.CACHE / "results" / name / f"{code_key(module)}-{digest.hexdigest()[:16]}.pickle"


# -- Producers, as the sources declare them ----------------------------------------------------------------

@dataclass(frozen=True)
class Declared:
    prefix: str
    module: str
    translated: bool


def _declarations(path: Path, module: str) -> list[list]:
    source = path.read_text(encoding="utf-8")
    if "publishes" not in source:
        return []
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and "publishes" in (getattr(node.func, "id", None), getattr(node.func, "attr", None))
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            translated = any(k.arg == "translated" and isinstance(k.value, ast.Constant) and k.value.value is True
                             for k in node.keywords)
            found.append([node.args[0].value, module, translated])
    return found


def declared_producers(package: str = "analysis") -> dict[str, Declared]:
    """Every producer prefix that the sources of ``package`` register, with its module, read without importing."""
    root = _package_root(package)
    declared = {}
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = path.relative_to(root).with_suffix("").parts
        module = ".".join((package, *(parts[:-1] if parts[-1] == "__init__" else parts)))
        for found in _stat_memo(f"declared:{module}", path, lambda p: _declarations(p, module)):
            declared[found[0]] = Declared(*found)
    return declared
