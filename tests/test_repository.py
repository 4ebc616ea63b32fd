"""Repository checks: the addon's manifest, its test wiring, and the README."""

import ast
import re

import pytest

REQUIRED_KEYS = (
    "name",
    "summary",
    "version",
    "category",
    "license",
    "author",
    "website",
    "maintainers",
    "depends",
    "data",
    "installable",
)
# the README is generated from readme/*.md; these would duplicate or contradict it
FORBIDDEN_KEYS = ("description", "active")


def test_manifest_version_is_18_0_x_y_z(manifest):
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", manifest.get("version", "")), (
        f"version {manifest.get('version')!r} is not 18.0.x.y.z"
    )


def test_manifest_license_is_lgpl3(manifest):
    assert manifest.get("license") == "LGPL-3"


@pytest.mark.parametrize("key", REQUIRED_KEYS)
def test_manifest_has_required_key(manifest, key):
    assert key in manifest, f"__manifest__.py lacks {key!r}"
    if key != "data":
        assert manifest[key] not in ("", [], None), f"{key!r} is empty"


@pytest.mark.parametrize("key", FORBIDDEN_KEYS)
def test_manifest_has_no_deprecated_key(manifest, key):
    assert key not in manifest, f"__manifest__.py must not set {key!r}"


def test_manifest_is_installable(manifest):
    assert manifest.get("installable", True) is True


@pytest.mark.parametrize("key", ["data", "demo"])
def test_manifest_files_exist(manifest, addon_dir, key):
    files = manifest.get(key, [])
    assert isinstance(files, list), f"{key!r} must be a list"
    missing = [name for name in files if not (addon_dir / name).is_file()]
    assert not missing, f"{key!r} lists files that do not exist: {missing}"
    duplicated = sorted({name for name in files if files.count(name) > 1})
    assert not duplicated, f"{key!r} lists files twice: {duplicated}"
    wrong_type = [n for n in files if not n.endswith((".xml", ".csv", ".sql"))]
    assert not wrong_type, f"{key!r} lists files Odoo cannot load: {wrong_type}"


def test_addon_tests_are_imported_by_the_tests_package(addon_dir):
    """Odoo's own runner (the docker ``tests`` service) only runs test modules that
    ``tests/__init__.py`` imports; pytest-odoo would run the others silently."""
    tests_dir = addon_dir / "tests"
    modules = sorted(p.stem for p in tests_dir.glob("test_*.py"))
    assert modules, f"{tests_dir} has no test_*.py module"
    init = tests_dir / "__init__.py"
    assert init.is_file(), f"{init} is missing"
    imported = set()
    for node in ast.walk(ast.parse(init.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                imported.add(node.module.split(".")[0])
            else:
                imported.update(alias.name for alias in node.names)
    missing = [name for name in modules if name not in imported]
    assert not missing, f"tests/__init__.py does not import {missing}"


def test_addon_does_not_import_its_tests(addon_dir):
    tree = ast.parse((addon_dir / "__init__.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.update(alias.name for alias in node.names)
            names.add(node.module or "")
    assert "tests" not in names


def _readme_code(repo_root):
    readme = repo_root / "README.md"
    assert readme.is_file(), "README.md is missing at the repository root"
    blocks = re.findall(
        r"^```[^\n]*\n(.*?)^```", readme.read_text(), re.MULTILINE | re.DOTALL
    )
    return "\n".join(blocks)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param("./run-tests", id="tests"),
        pytest.param("docker compose up", id="demo"),
    ],
)
def test_readme_shows_command(repo_root, command):
    assert command in _readme_code(repo_root), (
        f"README.md has no code block with `{command}`"
    )
