"""The layers of the code base, enforced (issue 19): the import-linter contracts of
`.importlinter` must all be kept.

The contracts say: `pvd.domain` imports neither Django nor the sources nor any app; `pvd.sources`
imports no Django and no app; the apps are independent of one another except through the
imports declared (with their reason) in the contract; the API, the pages and the command line sit
on top. A new import that crosses a line fails here with the chain that crosses it. No import cycle
either, between modules or between apps (grimp's graph, imports inside functions included).
"""

from __future__ import annotations

from pathlib import Path

import pvd

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".importlinter"


def test_import_contracts_are_kept(capsys):
    from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

    status = lint_imports(config_filename=str(CONFIG), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert status == EXIT_STATUS_SUCCESS, report
    assert "0 broken" in report


def test_contracts_cover_the_package_that_is_tested():
    """The linter reads the package from the import path: the one under test, not another copy."""
    assert Path(pvd.__file__).resolve().is_relative_to(ROOT / "src")


def test_every_declared_exception_has_a_reason():
    """Each group of ignored imports is preceded by a comment that says why it is allowed."""
    text = CONFIG.read_text(encoding="utf-8")
    block = text.split("ignore_imports =", 1)[1].split("\n[", 1)[0]
    lines = [line for line in block.strip().splitlines() if line.strip()]
    assert lines and lines[0].strip().startswith("#")
    reasons = [line for line in lines if line.strip().startswith("# ---")]
    imports = [line for line in lines if "->" in line and not line.strip().startswith("#")]
    assert len(reasons) >= 5
    assert len(imports) <= 45, "the declared exceptions grow: fix the import instead"


# Files over the limit for now, each with its reason: the list may only shrink.
MAX_LINES = 400
# Files allowed over the limit, each with its reason (none today: keep it that way).
OVERSIZED: dict[str, str] = {}


def _source_files():
    src = ROOT / "src"
    for path in sorted((src / "pvd").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path.relative_to(src).as_posix(), path


def test_no_source_file_exceeds_the_line_limit():
    """Issue 19: no file in src/ over 400 lines (migrations aside; data lives in data files, not
    in .py files), so that each fits in a head and has one reason to change."""
    too_long = {
        name: n
        for name, path in _source_files()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    unexpected = {name: n for name, n in too_long.items() if name not in OVERSIZED}
    assert not unexpected, f"split these files by reason to change: {unexpected}"
    fixed = sorted(set(OVERSIZED) - set(too_long))
    assert not fixed, f"now under {MAX_LINES} lines: remove them from OVERSIZED: {fixed}"


# --- No cycle anywhere (issue 19) ------------------------------------------------------------
# import-linter's contracts say which layer may import which, but two modules of one layer (or
# of one app) may still import each other. grimp's graph counts every import, at module level or
# inside a function: a cycle there is two modules that cannot be understood, tested or moved
# apart. Every strongly connected component of more than one module is listed.

# No module cycle is allowed: a new one is broken, never listed here.
ALLOWED_CYCLES: list[frozenset[str]] = []

# The apps of the one "independent" layer of `.importlinter`: the imports declared between them
# go one way only.
APPS = ("selection", "diagnostics", "projects", "programme", "network", "outcomes")


def strongly_connected(adjacency: dict[str, set[str]]) -> list[frozenset[str]]:
    """Tarjan's strongly connected components of more than one node (iterative: no recursion
    limit on a deep import chain)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[frozenset[str]] = []
    for root in sorted(adjacency):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sorted(adjacency[root])))]
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(adjacency.get(succ, ())))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(frozenset(component))
    return components


def _module_graph() -> dict[str, set[str]]:
    import grimp

    graph = grimp.build_graph("pvd")
    return {
        module: set(graph.find_modules_directly_imported_by(module)) & graph.modules
        for module in graph.modules
    }


def test_strongly_connected_finds_a_cycle_and_only_cycles():
    """The check can fail: a cycle through three modules is found, a chain and a self-import
    are not cycles."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": {"d"}, "e": {"a"}}
    assert strongly_connected(graph) == [frozenset({"a", "b", "c"})]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules():
    """Every module-level import cycle of pvd, with its members, but the allowed ones."""
    cycles = strongly_connected(_module_graph())
    unexpected = [sorted(c) for c in cycles if c not in ALLOWED_CYCLES]
    assert not unexpected, f"import cycles (move what both sides need lower): {unexpected}"
    gone = [sorted(c) for c in ALLOWED_CYCLES if c not in cycles]
    assert not gone, f"these cycles are broken: remove them from ALLOWED_CYCLES: {gone}"


def test_no_import_cycle_between_apps():
    """The apps import one another in one direction only (an app registers itself with a lower
    one rather than being imported by it)."""
    modules = _module_graph()
    app = {m: m.split(".")[1] for m in modules if m.count(".") >= 1 and m.split(".")[1] in APPS}
    between: dict[str, set[str]] = {name: set() for name in APPS}
    for module, imported in modules.items():
        if module in app:
            between[app[module]] |= {app[i] for i in imported if i in app} - {app[module]}
    assert strongly_connected(between) == [], f"imports between apps: {between}"
