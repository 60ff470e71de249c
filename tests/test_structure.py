"""The shape of the code: one place commits, imports flow one way, views catch domain errors.

These read the source with ``ast``, so they fail as soon as someone adds a commit to a
service, an import that goes back up, or a bare ``except ValueError`` in a view.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SHOP = Path(__file__).resolve().parent.parent / "shop"


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(SHOP.rglob("*.py")):
        relative = path.relative_to(SHOP.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


MODULES = modules()


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imports_of(tree: ast.Module, *, top_level_only: bool) -> set[str]:
    """Modules of ``shop`` that ``tree`` imports (outside ``if TYPE_CHECKING:``)."""
    names: set[str] = set()

    def visit(node, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                if not (top_level_only and inner) and child.module.startswith("shop"):
                    for alias in child.names:
                        candidate = f"{child.module}.{alias.name}"
                        names.add(candidate if candidate in MODULES else child.module)
            elif isinstance(child, ast.Import) and not (top_level_only and inner):
                names.update(a.name for a in child.names if a.name.startswith("shop"))
            visit(child, inner)

    visit(tree, False)
    return {name for name in names if name in MODULES}


def test_only_the_unit_of_work_commits():
    offenders = [
        f"{name}:{node.lineno}"
        for name, tree in MODULES.items()
        if name != "shop.database"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
        and "writer" not in ast.unparse(node.func.value)  # the search index's own writer
    ]
    assert offenders == []


def test_module_imports_have_no_cycle():
    graph = {name: imports_of(tree, top_level_only=True) - {name} for name, tree in MODULES.items()}
    visiting, done, cycles = set(), set(), []

    def walk(node, path):
        visiting.add(node)
        for target in sorted(graph[node]):
            if target in visiting:
                cycles.append([*path[path.index(target) :], target])
            elif target not in done:
                walk(target, [*path, target])
        visiting.discard(node)
        done.add(node)

    for name in sorted(graph):
        if name not in done:
            walk(name, [name])
    assert [" → ".join(cycle) for cycle in cycles] == []


def test_the_search_outbox_is_a_leaf():
    assert imports_of(MODULES["shop.search.outbox"], top_level_only=False) <= {
        "shop.extensions",
        "shop.search.models",
    }


@pytest.mark.parametrize(
    "feature", ["accounts", "catalog", "cooperatives", "listings", "producers"]
)
def test_features_reach_search_only_through_its_outbox(feature):
    reached = {
        target
        for name, tree in MODULES.items()
        if name.startswith(f"shop.{feature}")
        for target in imports_of(tree, top_level_only=False)
        if target.startswith("shop.search")
    }
    assert reached <= {"shop.search.outbox"}


def test_media_depends_on_no_feature():
    features = ("accounts", "catalog", "cooperatives", "listings", "producers", "search", "admin")
    reached = {
        target
        for name, tree in MODULES.items()
        if name.startswith("shop.media")
        for target in imports_of(tree, top_level_only=False)
        if target.split(".")[1] in features
    }
    assert reached == set()


def test_models_import_only_the_database_layer():
    allowed = {"shop.database", "shop.extensions", "shop.errors"}
    reached = {
        name: imports_of(tree, top_level_only=False) - allowed
        for name, tree in MODULES.items()
        if name.endswith(".models") and name != "shop.models"
    }
    assert {name: found for name, found in reached.items() if found} == {}


def test_views_never_catch_a_bare_value_error():
    offenders = [
        f"{name}:{handler.lineno}"
        for name, tree in MODULES.items()
        if name.endswith(".views")
        for handler in ast.walk(tree)
        if isinstance(handler, ast.ExceptHandler)
        and handler.type is not None
        and "ValueError" in ast.unparse(handler.type)
    ]
    assert offenders == []


def test_services_never_touch_the_request():
    forbidden = {"request", "session", "flash", "current_user", "g"}
    offenders = [
        f"{name}: {alias.name}"
        for name, tree in MODULES.items()
        if name.endswith(".services")
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask_login")
        for alias in node.names
        if alias.name in forbidden
    ]
    assert offenders == []
