"""The layout's rules, checked on the source (issue 11).

- The text parser in reports/importing/ loads without Django (only the Django-facing glue may use it).
- No import cycle among the apps' modules. Imports inside functions count too, because a function-level
  import is how a cycle hides; the batch export's task <-> service pair is the one allowed.
- Dependencies point one way: views -> services -> selectors -> policy/tables -> models.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("reports", "indicators", "healthreports")
PARSER_GLUE = {"service"}  # reports/importing modules that talk to the database (the rest is the parser)
# the worker runs the service, which queues it
ALLOWED_FUNCTION_LEVEL = {("reports.services.exports", "reports.tasks"), ("reports.services.frozen", "reports.tasks")}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> dict[str, Path]:
    return {
        _module_name(p): p
        for app in APPS
        for p in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in p.parts and "__pycache__" not in p.parts
    }


def _is_type_checking(node: ast.If) -> bool:
    return ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def imports(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, bool]]:
    """(imported app module, at module level?) for every import that runs, resolved to modules: `from
    pkg import mod` names the submodule, and importing a submodule first imports its packages."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, bool]] = []

    def add(target: str, top: bool) -> None:
        parts = target.split(".")
        for i in range(1, len(parts) + 1):
            candidate = ".".join(parts[:i])
            if candidate in modules and candidate != name and not name.startswith(candidate + "."):
                found.append((candidate, top))

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue  # never runs
            if isinstance(child, ast.Import):
                for alias in child.names:
                    add(alias.name, top)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    origin = ".".join(base + ([child.module] if child.module else []))
                else:
                    origin = child.module or ""
                add(origin, top)
                for alias in child.names:
                    if f"{origin}.{alias.name}" in modules:
                        add(f"{origin}.{alias.name}", top)
            is_def = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            visit(child, top and not is_def)

    visit(ast.parse(path.read_text(encoding="utf-8")), True)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = app_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        if name.endswith(".apps"):
            continue  # AppConfig.ready() imports what registers itself; nothing imports an AppConfig
        for target, top in imports(name, path, modules):
            if top or (name, target) not in ALLOWED_FUNCTION_LEVEL:
                graph[name].add(target)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return cycles


def test_no_import_cycle_among_the_apps_modules():
    assert find_cycles(import_graph()) == []


def test_the_cycle_finder_finds_cycles():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_relative_and_function_level_imports():
    graph = import_graph()
    assert "reports.models" in graph["reports.selectors.tree"]  # from ..models import ...
    assert "reports.policy" in graph["reports.selectors.reports"]  # from .. import policy
    assert "reports.services.exports" in graph["reports.tasks"]  # inside a function
    assert "reports.tasks" not in graph["reports.services.exports"]  # the one allowed pair


LAYERS = {  # a module in the first may not import any module in the second
    "reports.models": ("reports.policy", "reports.selectors", "reports.services", "reports.views"),
    "reports.periods": ("reports", "indicators", "healthreports"),
    "reports.policy": ("reports.selectors", "reports.services", "reports.views"),
    "reports.selectors": ("reports.services", "reports.views", "indicators.services", "indicators.views"),
    "reports.services": ("reports.views", "indicators.views"),
    "indicators.selectors": ("indicators.services", "indicators.views", "reports.services", "reports.views"),
}


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_dependencies_point_one_way(layer):
    graph = import_graph()
    wrong = [
        (module, target)
        for module, targets in graph.items()
        if module == layer or module.startswith(layer + ".")
        for target in targets
        if target != "reports"  # the (empty) package itself
        and any(target == f or target.startswith(f + ".") for f in LAYERS[layer])
    ]
    assert wrong == []


def parser_modules() -> list[str]:
    return sorted(
        name
        for name in app_modules()
        if name.startswith("reports.importing") and name.rpartition(".")[2] not in PARSER_GLUE
    )


def test_the_parser_loads_without_django():
    modules = parser_modules()
    assert "reports.importing.outline" in modules and "reports.importing.service" not in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
