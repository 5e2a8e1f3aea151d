"""The demo app: its commands refuse a database not marked as a demo, and no other app imports it.

Both commands run when it is marked: tests/test_pages.py (seed_demo) and tests/test_seed_scale.py."""

import ast
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from accounts.models import User
from contracts.models import Contract


@pytest.mark.parametrize("command", ["seed_demo", "seed_scale"])
def test_each_demo_command_refuses_unless_demo_data_is_allowed(db, settings, command):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match=rf"Refusing to run {command}: .* published password.*DJANGO_ALLOW_DEMO"):
        call_command(command)
    assert not User.objects.exists()
    assert not Contract.objects.exists()


def test_no_app_imports_demo():
    root = Path(django_settings.BASE_DIR)
    offenders = []
    packages = [
        p for p in root.iterdir() if (p / "__init__.py").exists() and p.name not in {"demo", "tests", "benchmarks"}
    ]
    for path in [root / "manage.py", *(path for package in packages for path in package.rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [f"{path.relative_to(root)}: {name}" for name in names if name.split(".")[0] == "demo"]
    assert offenders == []
