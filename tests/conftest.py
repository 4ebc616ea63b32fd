"""Fixtures of the repository-level checks (plain pytest, no Odoo needed).

These files have no ``__init__.py`` on purpose: pytest imports them as top-level
``test_repository*`` modules, while pytest-odoo imports the addon's own tests as
``odoo.addons.aftersales_revisit.tests.*``, so one session collects both trees.
"""

import ast
import os
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ADDON = "aftersales_revisit"
SCHEMA_ENV = "COMPOSE_SPEC_SCHEMA"
SCHEMA_RELPATH = Path("shared", "schemas", "compose-spec.json")


@pytest.fixture(scope="session")
def repo_root():
    return REPO_ROOT


@pytest.fixture(scope="session")
def addon_dir():
    return REPO_ROOT / ADDON


@pytest.fixture(scope="session")
def manifest(addon_dir):
    """The addon's manifest, read as a Python literal (never executed)."""
    path = addon_dir / "__manifest__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr), (
        f"{path} must hold a single dict expression"
    )
    assert isinstance(tree.body[0].value, ast.Dict), f"{path} must hold a dict"
    return ast.literal_eval(tree.body[0].value)


def _origin_dir():
    """The directory this clone was cloned from, when it is a local path."""
    try:
        url = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    if url.startswith("file://"):
        url = urlparse(url).path
    path = Path(url)
    return path.resolve() if url and path.is_absolute() and path.is_dir() else None


def schema_candidates():
    """Where the Compose Specification schema may be, in order of preference.

    ``$COMPOSE_SPEC_SCHEMA`` when set (and then only it); otherwise
    ``shared/schemas/compose-spec.json`` beside the repository (CI puts a read-only
    ``shared/`` next to its clone) or beside any parent folder, or beside the
    repository this one was cloned from (``git clone /work/main /tmp/x``).
    """
    if os.environ.get(SCHEMA_ENV):
        return [Path(os.environ[SCHEMA_ENV])]
    bases = [REPO_ROOT.parent, *REPO_ROOT.parent.parents]
    origin = _origin_dir()
    if origin is not None:
        bases += [origin.parent, *origin.parent.parents]
    return list(dict.fromkeys(base / SCHEMA_RELPATH for base in bases))


@pytest.fixture(scope="session")
def compose_schema_path():
    candidates = schema_candidates()
    for path in candidates:
        if path.is_file():
            return path
    pytest.fail(
        "Compose Specification schema not found; looked at:\n  "
        + "\n  ".join(map(str, candidates))
        + f"\nPut shared/schemas/compose-spec.json beside the repository or set "
        f"{SCHEMA_ENV}=/path/to/compose-spec.json.",
        pytrace=False,
    )
