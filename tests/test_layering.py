"""The layering of architecture 1.1, enforced by walking every import with ast."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

PACKAGE = Path(__file__).resolve().parents[1] / "mockcp"
BASE = ("mockcp.codes", "mockcp.errors", "mockcp.clock", "mockcp.rng", "mockcp.config",
        "mockcp.deadline")

# package -> allowed import prefixes beyond the standard library.
ALLOWED: dict[str, tuple[str, ...]] = {
    "codes": (),
    "errors": ("mockcp.codes",),
    "clock": (),
    "rng": (),
    "config": (),
    "deadline": (),  # the per-request time limit (issue 17): standard library only
    "data": (),  # the packaged files, found through importlib.resources: standard library only
    "progress": ("tqdm",),
    "db": ("sqlalchemy", "mockcp.db", *BASE),
    # domain calls sim.store.engine.materialize before time-dependent reads (architecture 1.2),
    # so sim may not import domain (no cycle): it works on the ORM models and the clock.
    "domain": ("sqlalchemy", "mockcp.db", "mockcp.domain", "mockcp.sim", *BASE),
    "sim": ("sqlalchemy", "mockcp.sim", "mockcp.db", *BASE),
    "seed": (
        "faker",
        "yaml",
        "sqlalchemy",
        "mockcp.seed",
        "mockcp.db",
        "mockcp.domain",
        "mockcp.data",
        "mockcp.sim.model",  # the one vehicle catalogue and the one ID scheme
        *BASE,
    ),
    # soap: spyne and lxml; the ORM models (never db.engine) and Session for typing.
    "soap": (
        "spyne",
        "lxml",
        "sqlalchemy.orm",
        "mockcp.soap",
        "mockcp.domain",
        "mockcp.sim",
        "mockcp.db.models",
        "mockcp.db.people",
        "mockcp.db.activity",
        "mockcp.db.stamps",  # the credentials stamp (soap/credentials.py)
        "mockcp.db.callstate",  # the call's one read of the store (soap/recorder.py)
        *BASE,
    ),
    "admin": (
        "werkzeug",
        "sqlalchemy.orm",
        "mockcp.admin",
        "mockcp.domain",
        "mockcp.sim",
        "mockcp.seed",
        "mockcp.worlds",
        "mockcp.sandboxes",
        *BASE,
    ),
    # ui: the dashboard's WSGI edge; its data come from domain (never spyne). Its scenarios
    # run in worlds built by the factory the app hands down: scenario_runs, never the
    # mockcp.scenario that binds mockcp.app.create_app (the app imports the dashboard).
    "ui": (
        "werkzeug",
        "sqlalchemy",
        "mockcp.ui",
        "mockcp.domain",
        "mockcp.sim",
        "mockcp.db",
        "mockcp.scenario_runs",
        "mockcp.data",
        *BASE,
    ),
    # the in-process mock and the scenario runs, below the app: each opens apps a caller builds
    "in_process": (
        "zeep",
        "requests",
        "werkzeug.test",
        "sqlalchemy.orm",
        "mockcp.control",
        "mockcp.domain.tenants",
        "mockcp.server",
        "mockcp.soap.recorder",
        "mockcp.soap.versions",
        *BASE,
    ),
    "scenario_runs": (
        "yaml", "mockcp.in_process", "mockcp.control", "mockcp.sim.model.ids", *BASE,
    ),
    # worlds (issue 13): the stored clock, images, snapshots, sandboxes, the admin token.
    "worldclock": ("sqlalchemy", "mockcp.db", *BASE),
    "worlds": ("sqlalchemy", "mockcp.db", "mockcp.worldclock", *BASE),
    "sandboxes": (
        "sqlalchemy", "mockcp.db", "mockcp.worlds", "mockcp.seed.world",
        "mockcp.sandbox_templates", *BASE,
    ),
    # kept planned images (issue 18): files of SQLite worlds, keyed by what decides them
    "planned_images": (
        "sqlalchemy", "mockcp.version", "mockcp.db", "mockcp.data", "mockcp.seed.world",
        *BASE,
    ),
    "sandbox_templates": ("sqlalchemy", "mockcp.db", "mockcp.worlds", "mockcp.seed.world", *BASE),
    # remote (the pytest plugin's --mockcp-url): HTTP and zeep over the control-plane helpers
    "remote": ("requests", "zeep", "mockcp.control", "mockcp.domain.tenants"),
    "exposure": (),
    "version": (),  # a leaf: modules inside the package read the version here, not from its face
}
STDLIB = set(sys.stdlib_module_names)


def imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(
                f"{node.module}.{alias.name}" for alias in node.names if node.module == "mockcp"
            )
    return names


def layer_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(PACKAGE.rglob("*.py")) if layer_of(p) in ALLOWED],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_layering_imports_stay_inside_their_layer(path: Path) -> None:
    allowed = ALLOWED[layer_of(path)]
    for name in imports(path):
        if name.split(".")[0] in STDLIB or name == "mockcp":
            continue
        assert name.startswith(allowed), f"{path.name} imports {name}"


def test_layering_only_soap_imports_spyne() -> None:
    for path in PACKAGE.rglob("*.py"):
        if layer_of(path) != "soap":
            assert not any(n.startswith("spyne") for n in imports(path)), path


EDGES = frozenset(
    {"admin", "app", "testing", "in_process", "cli", "ui", "control", "wsdl_address"}
)


def test_layering_only_edges_import_werkzeug() -> None:
    for path in PACKAGE.rglob("*.py"):
        if layer_of(path) not in EDGES:
            assert not any(n.startswith("werkzeug") for n in imports(path)), path


def test_layering_only_the_server_imports_waitress() -> None:
    for path in PACKAGE.rglob("*.py"):
        if layer_of(path) != "server":
            assert not any(n.startswith("waitress") for n in imports(path)), path


def test_layering_no_wall_clock_outside_clock() -> None:
    for path in PACKAGE.rglob("*.py"):
        if path.name == "clock.py":
            continue
        source = path.read_text(encoding="utf-8")
        for forbidden in ("datetime.now(", "time.time(", "date.today(", "datetime.utcnow("):
            assert forbidden not in source, (path, forbidden)


def test_layering_no_global_randomness() -> None:
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for forbidden in ("random.seed(", "Faker.seed(", "random.random(", "random.choice("):
            assert forbidden not in source, (path, forbidden)


def test_areas_mirror_across_layers() -> None:
    """Each guide area of soap/operations has its domain package (issue 16: one area is
    followed through types -> operations -> mapping -> domain by the same name)."""
    operations = {p.stem for p in (PACKAGE / "soap" / "operations").glob("*.py")} - {"__init__"}
    areas = {p.parent.name for p in (PACKAGE / "domain").glob("*/__init__.py")}
    assert operations == areas
    shared = {p.stem for p in (PACKAGE / "domain").glob("*.py")} - {"__init__"}
    assert not shared & areas  # a module beside a package of the same name would shadow it


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "sim" / "model").glob("*.py")), ids=lambda p: p.name
)
def test_sim_model_is_pure(path: Path) -> None:
    """sim/model holds the numbers (seeds and the clock in, plans out); only sim/store writes."""
    for name in imports(path):
        assert not name.startswith(("sqlalchemy", "mockcp.db", "mockcp.sim.store")), name


def _handlers() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted((PACKAGE / "soap" / "operations").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                found += [(path.name, f) for f in node.body if isinstance(f, ast.FunctionDef)]
    return found


def test_handlers_are_one_call() -> None:
    """Each operation's body is one statement (issue 16): parse -> domain -> map lives in
    soap/mapping and domain, never in the handler."""
    handlers = _handlers()
    assert len(handlers) == 32  # the 32 operations of the 5.1 WSDL
    for module, handler in handlers:
        body = handler.body[1:] if ast.get_docstring(handler) else handler.body
        assert len(body) == 1, (module, handler.name, len(body))
        assert isinstance(body[0], (ast.Return, ast.Raise)), (module, handler.name)


def test_no_domain_function_takes_the_quartet() -> None:
    """Domain entry points take the request-scoped World first, never (db, ..., seed, now)."""
    for path in (PACKAGE / "domain").rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            names = [arg.arg for arg in node.args.args]
            quartet = {"db", "now"} <= set(names) and bool({"seed", "root_seed"} & set(names))
            assert not quartet, (path.name, node.name, names)


# The house has no import circles. Every import counts wherever it stands (module level, in a
# function, under try or if): a function-level import is still a runtime dependency, only
# deferred. The one exception is an import under ``if TYPE_CHECKING:``: it never runs, so a
# name used only in annotations may point anywhere (``app_parts.Host`` names the app that owns
# it). ``from pkg import name`` leads to ``pkg.name`` when that is a module of the tree, else
# to ``pkg`` itself (its __init__); importing ``a.b`` is not counted as importing ``a``.


def _runtime_imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _runtime_imports(ast.Module(body=[other], type_ignores=[]))
            continue
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        yield from _runtime_imports(child)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_names(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root``, by its dotted name."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = (root.name, *path.relative_to(root).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph(root: Path) -> dict[str, dict[str, int]]:
    """module -> {module of the same package it imports at run time: the first line}."""
    modules = module_names(root)
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = graph.setdefault(name, {})
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            for target in targets:
                while target and target not in modules:  # a name inside a module
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.setdefault(target, node.lineno)
    return graph


def circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _told(graph: dict[str, dict[str, int]], circle: list[str]) -> str:
    ties = [
        f"  {a} -> {b} (line {line})"
        for a in circle
        for b, line in sorted(graph[a].items())
        if b in circle
    ]
    return f"circle of {len(circle)} modules:\n" + "\n".join(ties)


def test_layering_the_house_has_no_import_circles() -> None:
    graph = import_graph(PACKAGE)
    assert len(graph) > 100 and graph["mockcp.app"]  # the walk saw the tree
    found = circles(graph)
    assert not found, "\n".join(_told(graph, circle) for circle in found)


def test_layering_circle_finder_counts_function_imports_not_type_checking(
    tmp_path: Path,
) -> None:
    """The finder itself: a circle closed by a function-level or relative import is one, a
    circle closed only under ``if TYPE_CHECKING:`` is not."""
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from pkg.sub import b\n",
        "sub/__init__.py": "",
        "sub/b.py": "def late():\n    from ..c import thing\n",
        "c.py": "import pkg.a as a\n",
        "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import e\n",
        "e.py": "from pkg.d import x\nfrom pkg import sub\n",
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    graph = import_graph(root)
    assert graph["pkg.sub.b"] == {"pkg.c": 2} and graph["pkg.d"] == {}
    assert graph["pkg.e"] == {"pkg.d": 1, "pkg.sub": 2}
    assert circles(graph) == [["pkg.a", "pkg.c", "pkg.sub.b"]]
    assert "pkg.c -> pkg.a (line 1)" in _told(graph, circles(graph)[0])


NODES = st.sampled_from("abcdefg")


@given(st.dictionaries(NODES, st.sets(NODES, max_size=4), max_size=7))
def test_layering_circles_are_the_groups_of_mutually_reachable_modules(
    edges: dict[str, set[str]],
) -> None:
    """The finder against the definition: two modules share a circle when each reaches the
    other (the transitive closure, computed by brute force); a self-import is no circle."""
    graph = {a: dict.fromkeys(sorted(targets - {a}), 1) for a, targets in edges.items()}
    reach = {a: set(graph[a]) for a in graph}
    for _ in graph:
        for a in graph:
            reach[a] |= {c for b in reach[a] for c in reach.get(b, set())}
    groups = {
        tuple(sorted({a} | {b for b in reach[a] if a in reach.get(b, set())})) for a in graph
    }
    assert circles(graph) == sorted(list(group) for group in groups if len(group) > 1)
