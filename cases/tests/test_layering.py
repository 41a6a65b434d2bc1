"""DESIGN.md "Layout": the core imports none of the plug-ins; they plug in through its
registries. Checked on the source, so a lazy import inside a function counts too."""

import ast
from pathlib import Path

import cases

PLUG_INS = {"workplans", "referrals", "reporting", "benchdata", "eservice"}
CORE = Path(cases.__file__).resolve().parent


def imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def test_the_core_imports_no_plug_in():
    offending = [
        f"{path.relative_to(CORE.parent)}:{line} imports {module}"
        for path in sorted(CORE.rglob("*.py"))
        if "tests" not in path.relative_to(CORE).parts
        for line, module in imported_modules(path)
        if module.split(".")[0] in PLUG_INS
    ]
    assert offending == []


def test_the_check_sees_a_lazy_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from workplans import models\n", encoding="utf-8")
    assert [name for _, name in imported_modules(module)] == ["workplans"]
