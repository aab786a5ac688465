"""The package's architecture, checked: each stage imports only the stages below it.

    core <- hear <- understand <- render, publish <- run <- review <- cli

Every import counts, the ones inside functions too (they are how heavy libraries are kept off
`make-clips --help`, not a way around the layers). Render and publish sit side by side and
import neither each other. A module outside the stage folders fails the check, so a new file
has to choose its room.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import ROOT

LAYERS = {
    "core": 0,
    "hear": 1,
    "understand": 2,
    "render": 3,
    "publish": 3,
    "run": 4,
    "review": 5,
    "cli": 6,
}


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Each module of `root/pipeline` and the package modules it imports."""
    paths = sorted((root / "pipeline").rglob("*.py"))
    modules = {module_name(p, root) for p in paths}
    return {module_name(p, root): imported_modules(p, root) & modules for p in paths}


def imported_modules(path: Path, root: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: package.count(".") + 2 - node.level]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # `from pipeline.render import graph` imports the module pipeline.render.graph.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def loose_modules(graph: dict[str, set[str]]) -> list[str]:
    return sorted(m for m in graph if m != "pipeline" and stage_of(m) not in LAYERS)


def wrong_way_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports of a stage above, or beside, the importing module's own."""
    wrong = []
    for module, imports in graph.items():
        here = stage_of(module)
        for target in imports:
            there = stage_of(target)
            if here not in LAYERS or there not in LAYERS or here == there:
                continue
            if LAYERS[there] >= LAYERS[here]:
                wrong.append(f"{module} imports {target}")
    return sorted(wrong)


def import_circles(graph: dict[str, set[str]]) -> list[str]:
    """One line per module that can reach itself again through imports."""
    circles = []
    for start in sorted(graph):
        stack, seen = [(start, (start,))], {start}
        while stack:
            node, path = stack.pop()
            if start in graph[node] and node != start:
                circles.append(" -> ".join([*path, start]))
                break
            for nxt in sorted(graph[node] - seen):
                seen.add(nxt)
                stack.append((nxt, (*path, nxt)))
    return circles


def test_every_module_lives_in_a_stage() -> None:
    assert not loose_modules(import_graph()), f"put each in one of {sorted(LAYERS)}"


def test_no_stage_imports_a_stage_above_or_beside_it() -> None:
    wrong = wrong_way_imports(import_graph())
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_import_circle() -> None:
    circles = import_circles(import_graph())
    assert not circles, "import circles:\n" + "\n".join(circles)


@pytest.mark.parametrize(
    ("files", "check", "expected"),
    [
        # A lazy import from core up into render.
        (
            {
                "core/model.py": "def f():\n    from pipeline.render import graph\n",
                "render/graph.py": "",
            },
            wrong_way_imports,
            [
                "pipeline.core.model imports pipeline.render",
                "pipeline.core.model imports pipeline.render.graph",
            ],
        ),
        # Publish reaching sideways into render.
        (
            {
                "publish/stills.py": "from pipeline.render.labels import pill\n",
                "render/labels.py": "",
            },
            wrong_way_imports,
            ["pipeline.publish.stills imports pipeline.render.labels"],
        ),
        # Two modules of one stage importing each other, one of them relatively.
        (
            {
                "run/batch.py": "from .ray_engine import run_on_ray\n",
                "run/ray_engine.py": "from pipeline.run.batch import JobResult\n",
            },
            import_circles,
            [
                "pipeline.run.batch -> pipeline.run.ray_engine -> pipeline.run.batch",
                "pipeline.run.ray_engine -> pipeline.run.batch -> pipeline.run.ray_engine",
            ],
        ),
        # A module left loose at the top of the package.
        ({"helpers.py": ""}, loose_modules, ["pipeline.helpers"]),
    ],
)
def test_the_checks_find_what_they_look_for(tmp_path: Path, files, check, expected) -> None:
    for name, text in {"__init__.py": "", **files}.items():
        path = tmp_path / "pipeline" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    assert check(import_graph(tmp_path)) == expected
