"""Every POST goes through a form (issue 11): no module of the site's reads request.POST[...],
request.POST.get(...) or .getlist(...) itself; it hands request.POST to a form (`SomeForm(request.POST)`),
whose fields bound what may come in (lengths, NUL, numbers a column holds, ids in scope).

The admin's modules (admin*.py, portal/admin_*.py) are Django's admin forms and actions, bounded
in portal/admin_bounds.py; tests and migrations are not the site."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READS = {"get", "getlist", "lists", "items", "values", "dict", "keys", "__getitem__"}


# The load benchmark's bare view is the yardstick a save is measured against ("a bare Django view
# writing one row"), mounted only by its own settings (portal/urls_benchmark.py): no form on purpose.
NOT_SITE = {"portal/benchmark_saves.py"}


def _site_modules() -> list[Path]:
    skip = {".venv", "tests", "migrations", "node_modules", "test-artifacts"}
    return [
        path
        for path in ROOT.rglob("*.py")
        if not skip & set(path.relative_to(ROOT).parts)
        and not path.name.startswith("admin")
        and path.relative_to(ROOT).as_posix() not in NOT_SITE
    ]


def _is_request_post(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "POST" and isinstance(node.value, ast.Name)


def direct_reads(source: str) -> list[int]:
    """Lines where request.POST is read field by field instead of given to a form."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        subscript = isinstance(node, ast.Subscript) and _is_request_post(node.value)
        method = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in READS
            and _is_request_post(node.func.value)
        )
        membership = isinstance(node, ast.Compare) and any(_is_request_post(c) for c in node.comparators)
        if subscript or method or membership:  # request.POST["x"], .get("x"), "x" in request.POST
            lines.append(node.lineno)
    return lines


def test_the_check_sees_a_direct_read():
    source = (
        "def view(request):\n"
        "    a = request.POST.get('next', '')\n"
        "    b = request.POST['version']\n"
        "    c = request.POST.getlist('school')\n"
        "    d = 'x' in request.POST\n"
        "    form = NextUrlForm(request.POST, request=request)\n"
        "    other = OtherForm(request.POST or None)\n"
    )
    assert direct_reads(source) == [2, 3, 4, 5]


def test_no_view_reads_request_post_outside_a_form():
    found = {
        str(path.relative_to(ROOT)): lines
        for path in _site_modules()
        if (lines := direct_reads(path.read_text(encoding="utf-8")))
    }
    assert not found, f"Read these posts through a form (portal/forms.py has NextUrlForm): {found}"
