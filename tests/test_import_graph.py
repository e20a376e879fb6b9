"""The apps import one way (DESIGN §2): core ← search ← kb ← ingest. Every import in apps/
counts, function-level ones included; a function-level import must be one of the few
listed below with its reason, so no loop can hide inside a function."""

import ast
from pathlib import Path

import pytest

APPS = Path(__file__).resolve().parent.parent / "apps"
ORDER = ["core", "search", "kb", "ingest"]  # each may import only itself and those before it

# (file, imported module) → why the import cannot sit at the top of the file.
FUNCTION_LEVEL_ALLOWED = {
    ("search/apps.py", "signals"): "AppConfig.ready: models are loaded only then",
    ("kb/apps.py", "signals"): "AppConfig.ready: models are loaded only then",
    ("kb/apps.py", "groups"): "AppConfig.ready: models are loaded only then",
    ("search/backends/__init__.py", "postgres"): "the vendor's module is loaded only for its database",
    ("search/backends/__init__.py", "sqlite"): "the vendor's module is loaded only for its database",
    ("search/apps.py", "checks"): "AppConfig.ready: the system checks register themselves then",
    ("search/migrations/0004_rum_index_when_available.py", "backends"):
        "a migration runs app code only when applied; reading the migration graph must not import it",
    ("search/migrations/0004_rum_index_when_available.py", "postgres"):
        "a migration runs app code only when applied; reading the migration graph must not import it",
    ("search/migrations/0002_database_index.py", "backends"):
        "a migration runs app code only when applied; reading the migration graph must not import it",
    ("search/migrations/0006_reindex_every_source.py", "backends"):
        "a migration runs app code only when applied; reading the migration graph must not import it",
    ("search/migrations/0006_reindex_every_source.py", "index"):
        "a migration runs app code only when applied; reading the migration graph must not import it",
    ("search/migrations/0007_index_by_setting.py", "backends"):
        "a migration runs app code only when applied; reading the migration graph must not import it",
    ("search/migrations/0009_vector_buckets.py", "postgres"):
        "a migration runs app code only when applied; reading the migration graph must not import it",
    ("search/migrations/0010_common_words.py", "backends"):
        "a migration runs app code only when applied; reading the migration graph must not import it",
}


def imports(path: Path):
    """(imported module as absolute dotted name, line, at function level?) for one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(APPS.parent).with_suffix("").parts[:-1])
    function_nodes = {
        id(child)
        for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for child in ast.walk(node) if child is not node
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names = [module] if node.module else [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            yield name, node.lineno, id(node) in function_nodes


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "apps" else None


FILES = sorted(APPS.rglob("*.py"))


def test_the_apps_are_the_ones_the_order_names():
    assert {p.name for p in APPS.iterdir() if p.is_dir() and not p.name.startswith("__")} == set(ORDER)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(APPS)))
def test_imports_run_one_way(path):
    here = path.relative_to(APPS).parts[0]
    wrong = [
        f"line {line}: {here} imports {module}"
        for module, line, _ in imports(path)
        if (there := app_of(module)) and ORDER.index(there) > ORDER.index(here)
    ]
    assert wrong == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(APPS)))
def test_no_import_hides_in_a_function(path):
    where = str(path.relative_to(APPS))
    hidden = [
        f"line {line}: {module}"
        for module, line, in_function in imports(path)
        if in_function and (where, module.rsplit(".", 1)[-1]) not in FUNCTION_LEVEL_ALLOWED
    ]
    assert hidden == []


def test_the_walk_sees_function_level_and_relative_imports(tmp_path):
    # The checker itself must be able to fail: a function-level, relative import of a later app.
    sample = APPS / "search" / "_sample_for_test.py"
    sample.write_text("def f():\n    from ..kb import models\n", encoding="utf-8")
    try:
        assert list(imports(sample)) == [("apps.kb.models", 2, True)] or list(imports(sample)) == [
            ("apps.kb", 2, True)]
    finally:
        sample.unlink()
