# shellcheck shell=bash
# Sourced by ./run-tests and .ci/run: create or refresh the virtualenv from
# requirements-test.txt, the project's single list of Python dependencies.
# Needs ROOT (repository root); honours VENV (default $ROOT/.venv) and PYTHON
# (interpreter used to create the venv, default python3; Odoo 18 needs 3.10-3.12).

ensure_venv() {
    VENV=${VENV:-$ROOT/.venv}
    local req="$ROOT/requirements-test.txt"
    local stamp="$VENV/.requirements-test.sha256"
    local python=${PYTHON:-python3}
    local want
    want=$(sha256sum "$req" | cut -d' ' -f1)

    if ! "$VENV/bin/python" -c "" 2>/dev/null; then
        if ! "$python" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null; then
            echo "error: PYTHON=$python is not Python 3.10-3.12, which Odoo 18 needs." >&2
            echo "       Set PYTHON to such an interpreter (e.g. PYTHON=python3.11)." >&2
            return 2
        fi
        echo "==> creating virtualenv $VENV ($("$python" --version 2>&1))"
        "$python" -m venv "$VENV"
        rm -f "$stamp"
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "==> installing requirements-test.txt into $VENV"
        "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet -r "$req"
        echo "$want" >"$stamp"
    else
        echo "==> virtualenv $VENV is up to date with requirements-test.txt"
    fi
}
