"""docker-compose.yml: valid against the Compose Specification, and wired as the
README says (no Docker engine runs here, so this is the only check it gets)."""

import json
import shlex

import jsonschema
import pytest
import yaml

ADDON_MOUNT = "/mnt/extra-addons/aftersales_revisit"


@pytest.fixture(scope="module")
def compose(repo_root):
    path = repo_root / "docker-compose.yml"
    assert path.is_file(), "docker-compose.yml is missing"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def _env(service):
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {key: None if value is None else str(value) for key, value in env.items()}


def _command(service):
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else list(command)


def _mounts(service):
    """(source, target) of each volume, short or long syntax."""
    mounts = []
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume.get("source"), volume["target"]
        mounts.append((source, target))
    return mounts


def test_compose_file_is_valid(compose, compose_schema_path):
    schema = json.loads(compose_schema_path.read_text(encoding="utf-8"))
    # its "$schema" (https://json-schema.org/draft-07/schema) is not the canonical
    # draft-07 URI, so jsonschema cannot pick the validator from it
    assert "draft-07" in schema.get("$schema", ""), "expected a draft-07 schema"
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(
        jsonschema.Draft7Validator(schema).iter_errors(compose),
        key=lambda error: [str(part) for part in error.path],
    )
    details = "\n".join(
        f"  {'/'.join(map(str, error.path)) or '<root>'}: {error.message}"
        for error in errors
    )
    assert not errors, (
        f"docker-compose.yml breaks the Compose Specification:\n{details}"
    )


def test_images(services):
    assert services["db"]["image"] == "postgres:16"
    assert services["odoo"]["image"] == "odoo:18.0"
    assert services["tests"]["image"] == "odoo:18.0"


def test_db_service(services):
    db = services["db"]
    env = _env(db)
    assert (env["POSTGRES_DB"], env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == (
        "postgres",
        "odoo",
        "odoo",
    )
    assert db.get("volumes"), "the database needs a volume"
    test = db["healthcheck"]["test"]
    assert "pg_isready" in (test if isinstance(test, str) else " ".join(test))


@pytest.mark.parametrize("name", ["odoo", "tests"])
def test_odoo_services_connect_to_db(services, name):
    service = services[name]
    env = _env(service)
    assert (env["HOST"], env["USER"], env["PASSWORD"]) == ("db", "odoo", "odoo")
    depends_on = service["depends_on"]
    assert isinstance(depends_on, dict), "depends_on must wait for db to be healthy"
    assert depends_on["db"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["odoo", "tests"])
def test_odoo_services_mount_the_addon(services, name, repo_root):
    sources = [src for src, target in _mounts(services[name]) if target == ADDON_MOUNT]
    assert sources, f"{name} does not mount the addon at {ADDON_MOUNT}"
    assert (repo_root / sources[0]).resolve() == (repo_root / "aftersales_revisit")


def test_odoo_service_creates_demo_database(services):
    odoo = services["odoo"]
    assert "8069:8069" in [str(port) for port in odoo["ports"]]
    command = _command(odoo)
    assert command[0] in ("--", "odoo") or command[0].startswith("-")
    args = " ".join(command)
    assert "-d aftersales_revisit" in args or "--database=aftersales_revisit" in args
    assert "-i aftersales_revisit" in args or "--init=aftersales_revisit" in args
    assert "--db-filter" in args
    assert "--without-demo" not in args


def test_tests_service_runs_the_addon_tests(services):
    tests = services["tests"]
    assert "test" in tests.get("profiles", [])
    args = " ".join(_command(tests))
    for expected in (
        "-d aftersales_revisit_test",
        "-i aftersales_revisit",
        "--test-enable",
        "--test-tags /aftersales_revisit",
        "--stop-after-init",
    ):
        assert expected in args, f"tests command lacks {expected!r}"
