"""The layering of docs/architecture.md, read from the code's imports: no app imports a layer above its own,
the ledger imports no other app, and the app-level import graph has no cycle."""

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pledgewatch"
# Lowest first. Management commands (any app's management/) are the command line's boundary: they sit on top.
LAYERS = [
    {"exceptions"},
    {"ledger", "cli"},
    {"totals"},
    {"accounts", "backup", "exports", "iati", "press", "newsletter"},
    {"web"},
    {"api"},
    {"commands", "urls", "wsgi", "server", "settings", "dbrouter"},
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}
# within a layer, one way
SIDEWAYS = {("press", "accounts"), ("newsletter", "accounts"), ("newsletter", "exports"), ("iati", "exports"),
            ("server", "wsgi")}


def node(parts: tuple[str, ...]) -> str:
    """Return the graph node of a module path inside the package ("ledger", "commands", "urls"…)."""
    if "management" in parts:
        return "commands"
    return parts[0].removesuffix(".py")


def import_graph() -> dict[tuple[str, str], list[str]]:
    """Return {(importer, imported): [files]} for every import of one of the package's nodes by another."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "migrations" in parts or (len(parts) == 1 and parts[0] == "__init__.py"):
            continue
        source = node(parts)
        for item in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(item, ast.ImportFrom) and item.level == 0 and item.module:
                modules = [item.module]
            elif isinstance(item, ast.Import):
                modules = [a.name for a in item.names]
            else:
                continue
            for module in modules:
                bits = module.split(".")
                if bits[0] != "pledgewatch" or len(bits) < 2:
                    continue
                target = node(tuple(bits[1:]))
                if target != source:
                    edges[(source, target)].append(str(path.relative_to(PACKAGE.parent)))
    return edges


def test_every_node_has_a_layer():
    nodes = {n for edge in import_graph() for n in edge}
    assert nodes - LAYER.keys() == set()


def test_no_app_imports_a_layer_above_its_own():
    wrong = {edge: files for edge, files in import_graph().items()
             if LAYER[edge[1]] > LAYER[edge[0]] or (LAYER[edge[1]] == LAYER[edge[0]] and edge not in SIDEWAYS)}
    assert wrong == {}


def test_the_ledger_imports_no_other_app():
    assert {b for a, b in import_graph() if a == "ledger"} <= {"exceptions"}


def test_the_app_graph_has_no_cycle():
    targets = defaultdict(set)
    for a, b in import_graph():
        targets[a].add(b)
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(name: str, path: list[str]) -> list[str] | None:
        state[name] = 1
        for nxt in sorted(targets[name]):
            if state.get(nxt) == 1:
                return [*path, name, nxt]
            if nxt not in state and (cycle := visit(nxt, [*path, name])):
                return cycle
        state[name] = 2
        return None

    cycles = [c for n in sorted(targets) if n not in state and (c := visit(n, []))]
    assert cycles == []


def test_no_product_module_is_over_500_lines():
    """Generated migrations aside, a module that grows past 500 lines is split by topic (issue 16)."""
    long = {str(p.relative_to(PACKAGE.parent)): n for p in PACKAGE.rglob("*.py")
            if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
