"""The stages of scripts/oirsite import one way (README, "Code layout"): read with ast, every import
counts (top level, inside functions, under TYPE_CHECKING), and no private name crosses a module."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import ROOT

PACKAGE = ROOT / "scripts" / "oirsite"
STAGES = ["core", "model", "collections", "read", "safety", "graph", "markdown", "pages", "outputs", "site", "tools"]


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None  # the package itself
    name = parts[1]
    return STAGES.index(name)


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module imported, names taken) for every import of a file, wherever it stands."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            names = [alias.name for alias in node.names]
            if target.startswith("oirsite"):
                found.append((node.lineno, target, names))
                found += [(node.lineno, f"{target}.{name}", []) for name in names
                          if (PACKAGE.parent / f"{target}.{name}".replace(".", "/")).exists()
                          or (PACKAGE.parent / (f"{target}.{name}".replace(".", "/") + ".py")).exists()]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names if alias.name.startswith("oirsite")]
    return found


FILES = sorted(PACKAGE.rglob("*.py"))


def test_every_file_belongs_to_a_stage():
    for path in FILES:
        module = _module(path)
        assert module == "oirsite" or _stage(module) is not None, module


def test_no_stage_imports_from_a_later_stage():
    wrong = []
    for path in FILES:
        here = _stage(_module(path))
        for line, target, _ in _imports(path):
            there = _stage(target)
            if here is not None and there is not None and there > here:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target} (a later stage)")
    assert not wrong, "\n".join(wrong)


def test_no_import_circle():
    graph: dict[str, set[str]] = {}
    for path in FILES:
        graph[_module(path)] = {target for _, target, _ in _imports(path) if target != "oirsite"}
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            raise AssertionError("import circle: " + " -> ".join(trail[trail.index(module):] + [module]))
        if module in done or module not in graph:
            return
        for target in sorted(graph[module]):
            visit(target, trail + [module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_no_private_name_crosses_a_module():
    wrong = [f"{path.relative_to(ROOT)}:{line} takes {name} from {target}"
             for path in FILES for line, target, names in _imports(path) for name in names
             if name.startswith("_")]
    assert not wrong, "\n".join(wrong)


def test_the_checker_sees_a_backward_import(tmp_path: Path):
    """The test above would fail: a core module importing a page module is found."""
    assert _stage("oirsite.core.paths") < _stage("oirsite.pages.render") < _stage("oirsite.tools.rename")
    assert _stage("oirsite.tools.cms") == STAGES.index("tools")


def test_no_global_statement_in_our_code():
    """State lives on objects (the plugin instance, a build's SiteBuild), never in a module changed at run
    time: no `global` in the content layer, the plugin or the scripts."""
    files = sorted((ROOT / "scripts").rglob("*.py"))
    wrong = [f"{path.relative_to(ROOT)}:{node.lineno}" for path in files if "vendor" not in path.parts
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Global)]
    assert files and not wrong, "\n".join(wrong)
