"""Benchmark the scheduled actions of aftersales_revisit on a realistic dealer dataset.

Run it from the repository root with the interpreter that has Odoo's dependencies:

    .venv/bin/python scripts/benchmark.py --db bench_dealer [--scale 1] [--keep]
        [--template DB] [--explain] [--profile-sql] [--seed 42]

It

1. creates the database ``--db`` (an existing one is refused): a fresh database
   without demo data, or a copy of ``--template``; then installs (or, if the copy
   already has it, updates) ``aftersales_revisit`` with ``odoo-bin``;
2. builds through the ORM (bulk context: ``tracking_disable``, ``mail_create_nolog``,
   ``mail_create_nosubscribe``; batches of 5,000) a dealer's data at ``--scale``
   (1 = 20 advisors in the officer group, 1,500 customers with officers, mobiles
   and some without any phone, ~1,800 vehicles, 650 done services a month over 36
   months ending today with handover date-times, 3 % cancelled, and the last 60
   days of the call log), commits it and runs ``VACUUM ANALYZE``;
3. measures, as Odoo's cron runner runs a job (``ir.cron._run_job``: a progress
   record, the server action, a commit; again while work remains):
   1. the first run of "generate due follow-ups" on that history (backfill),
   2. an immediate rerun (must create nothing),
   3. the next day: one more day of services (not timed), then
      ``_generate_due_revisits(today=tomorrow)`` until nothing remains,
   4. "escalate unsolved calls" and both "2-day customer file" crons;
4. prints wall time, SQL queries and SQL time (the ``query_count``/``query_time``
   counters of the thread, updated by ``odoo/sql_db.py``), per-batch times, the rows
   each phase added to the mail tables and a few checks (expected follow-ups, no
   duplicate, no queued e-mail, queries per follow-up); then drops the database
   unless ``--keep``.

``--explain`` adds EXPLAIN (ANALYZE, BUFFERS) of the follow-up candidate query;
``--profile-sql`` groups each phase's queries by shape and by the line of the addon
(or of Odoo) that ran them, to find queries repeated per record (it slows the run).

Environment: ``ODOO_PATH`` (Odoo 18.0 source, default ``/opt/odoo18``), ``PGHOST``,
``PGPORT``, ``PGUSER``, ``PGPASSWORD`` (default ``localhost``, ``5432``, ``odoo``,
``odoo``). The addons path is ``$ODOO_PATH/addons`` plus this repository.
"""

import argparse
import math
import os
import platform
import random
import re
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ADDON = "aftersales_revisit"
GENERATE_CRON = f"{ADDON}.ir_cron_generate_revisits"
ESCALATE_CRON = f"{ADDON}.ir_cron_escalate_calls"
SERVICE_FILES_CRON = f"{ADDON}.ir_cron_check_service_files"
CALL_FILES_CRON = f"{ADDON}.ir_cron_check_call_files"
BATCH = 5000  # ORM create batch of the dataset builder
MAX_BATCH_PER_CRON_JOB = 10  # odoo/addons/base/models/ir_cron.py
TIMEZONE = "Europe/Brussels"

# The dealer at scale 1
ADVISORS = 20
CUSTOMERS = 1500
COMPANY_SHARE = 0.10
SECOND_VEHICLE = 0.20
ARCHIVED_VEHICLES = 0.02
NEVER_SERVICED = 0.05
SERVICES_PER_MONTH = 650
MONTHS = 36
CANCELLED = 0.03
CALLS_PER_MONTH = 1300  # about two follow-up calls per service
CALL_HISTORY_DAYS = 60

BULK_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_activity_automation_skip": True,
    "no_reset_password": True,
}
COUNTED_TABLES = (
    ("aftersales_revisit", "follow-ups"),
    ("mail_activity", "activities"),
    ("mail_followers", "followers"),
    ("mail_followers_mail_message_subtype_rel", "follower subtypes"),
    ("mail_message", "messages"),
    ("mail_notification", "notifications"),
    ("mail_mail", "mail_mail"),
    ("bus_bus", "bus"),
)
CATEGORIES = (
    ("maintenance", 0.55, "Periodic maintenance"),
    ("repair", 0.25, "Mechanical repair"),
    ("insurance", 0.08, "Bodywork (insurance claim)"),
    ("warranty", 0.07, "Warranty repair"),
    ("accessories", 0.05, "Accessories fitting"),
)
ITEMS = (
    "Oil and oil filter",
    "Air filter",
    "Cabin filter",
    "Brake pads front",
    "Brake fluid",
    "Tyres rotation",
    "Wiper blades",
    "Battery test",
    "Timing belt",
    "Air conditioning service",
)


def out(line=""):
    sys.stdout.write(f"{line}\n")
    sys.stdout.flush()


def fail(message):
    sys.stderr.write(f"benchmark: {message}\n")
    sys.exit(2)


# ----------------------------------------------------------------------------
# Set-up: Odoo, configuration, database
# ----------------------------------------------------------------------------


def pg_settings():
    return {
        "host": os.environ.get("PGHOST") or "localhost",
        "port": os.environ.get("PGPORT") or "5432",
        "user": os.environ.get("PGUSER") or "odoo",
        "password": os.environ.get("PGPASSWORD") or "odoo",
    }


def odoo_path():
    path = Path(os.environ.get("ODOO_PATH") or "/opt/odoo18").resolve()
    if not (path / "odoo-bin").is_file():
        fail(
            f"ODOO_PATH={path} has no odoo-bin: set ODOO_PATH to an Odoo 18.0 "
            "source checkout (git clone --depth 1 -b 18.0 "
            "https://github.com/odoo/odoo.git)."
        )
    return path


def odoo_args(db, pg, odoo_dir):
    return [
        f"--database={db}",
        f"--db_host={pg['host']}",
        f"--db_port={pg['port']}",
        f"--db_user={pg['user']}",
        f"--db_password={pg['password']}",
        f"--addons-path={odoo_dir / 'addons'},{REPO_ROOT}",
        "--log-level=warn",
    ]


def import_odoo(odoo_dir, db, pg):
    sys.path.insert(0, str(odoo_dir))
    try:
        import odoo
    except ImportError as error:
        fail(
            f"cannot import Odoo from {odoo_dir} ({error}); run this script with "
            "the interpreter that has Odoo's dependencies, e.g. .venv/bin/python."
        )
    if not odoo.release.version.startswith("18.0"):
        fail(f"{odoo_dir} is Odoo {odoo.release.version}, not 18.0")
    odoo.tools.config.parse_config(odoo_args(db, pg, odoo_dir))
    return odoo


def database_exists(odoo, name):
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def addon_state(odoo, db):
    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [ADDON])
        row = cr.fetchone()
    odoo.sql_db.close_db(db)
    return row and row[0]


def create_database(odoo, db, template, pg, odoo_dir):
    """Create `db` (fresh or from `template`) and install/update the addon."""
    from odoo.tools import SQL

    command = [sys.executable, str(odoo_dir / "odoo-bin"), *odoo_args(db, pg, odoo_dir)]
    if template:
        if not database_exists(odoo, template):
            fail(f"template database {template!r} does not exist")
        db_conn = odoo.sql_db.db_connect("postgres")
        with db_conn.cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute(
                SQL(
                    "CREATE DATABASE %s TEMPLATE %s",
                    SQL.identifier(db),
                    SQL.identifier(template),
                )
            )
        installed = addon_state(odoo, db) == "installed"
        command += ["-u" if installed else "-i", ADDON]
    else:
        command += ["-i", ADDON, "--without-demo=all"]
    command.append("--stop-after-init")
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise RuntimeError(f"odoo-bin failed to install {ADDON} in {db}")
    return time.perf_counter() - started


def vacuum_analyze(odoo, db):
    """Fresh planner statistics, as autovacuum would have them in production."""
    started = time.perf_counter()
    with odoo.sql_db.db_connect(db).cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def drop_database(odoo, db):
    import shutil

    from odoo.service.db import _drop_conn
    from odoo.tools import SQL

    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        _drop_conn(cr, db)
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(db)))
    filestore = odoo.tools.config.filestore(db)
    if os.path.isdir(filestore):
        shutil.rmtree(filestore)


# ----------------------------------------------------------------------------
# Measurement helpers
# ----------------------------------------------------------------------------


def counters():
    """(wall clock, SQL queries, SQL seconds) of this thread."""
    thread = threading.current_thread()
    if not hasattr(thread, "query_count"):
        thread.query_count = 0
        thread.query_time = 0.0
    return time.perf_counter(), thread.query_count, thread.query_time


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def count_rows(cr):
    from odoo.tools import SQL

    counts = {}
    for table, _label in COUNTED_TABLES:
        cr.execute(SQL("SELECT COUNT(*) FROM %s", SQL.identifier(table)))
        counts[table] = cr.fetchone()[0]
    return counts


class QueryProfile:
    """A query hook (odoo/sql_db.py calls `query_hooks` of the thread): counts the
    queries by shape and by the line of the addon, else of Odoo, that ran them."""

    ADDON_DIR = str(REPO_ROOT / ADDON) + os.sep

    def __init__(self, odoo_dir):
        self.odoo_addons = str(odoo_dir / "addons") + os.sep
        self.stats = {}

    def __call__(self, cr, query, params, start, delay):
        shape = re.sub(r"\s+", " ", str(query)).strip()
        shape = re.sub(r"\b\d+\b", "N", shape)
        key = (shape, self.where())
        count, seconds = self.stats.get(key, (0, 0.0))
        self.stats[key] = (count + 1, seconds + delay)

    def where(self):
        addon = odoo_addon = None
        frame = sys._getframe(2)
        while frame and not addon:
            name = frame.f_code.co_filename
            if name.startswith(self.ADDON_DIR):
                addon = f"{name[len(self.ADDON_DIR) :]}:{frame.f_lineno}"
            elif odoo_addon is None and name.startswith(self.odoo_addons):
                odoo_addon = f"{name[len(self.odoo_addons) :]}:{frame.f_lineno}"
            frame = frame.f_back
        return " <- ".join(filter(None, [odoo_addon, addon])) or "odoo core"

    def take(self):
        stats, self.stats = self.stats, {}
        return stats


class CaptureQuery:
    """A query hook keeping the last query (not a COUNT) that contains `marker`."""

    def __init__(self, marker):
        self.marker = marker
        self.last = None

    def __call__(self, cr, query, params, start, delay):
        text = str(query)
        if self.marker in text and "COUNT(*)" not in text:
            self.last = (str(query), params)


def explain(registry, captured):
    """EXPLAIN (ANALYZE, BUFFERS) of a captured query, as text lines."""
    if not captured:
        return ["(the candidate query was not captured)"]
    from odoo.tools import SQL

    query, params = captured
    with registry.cursor() as cr:
        cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", SQL(query, *(params or ()))))
        lines = [row[0] for row in cr.fetchall()]
        cr.rollback()
    return lines


@dataclass
class Batch:
    seconds: float
    queries: int
    done: int


@dataclass
class Phase:
    name: str
    wall: float = 0.0
    queries: int = 0
    sql_time: float = 0.0
    done: int = 0
    batches: list = field(default_factory=list)
    rows: dict = field(default_factory=dict)
    rss: float = 0.0
    note: str = ""
    profile: dict = field(default_factory=dict)

    @property
    def created(self):
        return self.rows.get("aftersales_revisit", 0)

    def per_batch(self, attr):
        return [getattr(b, attr) for b in self.batches]


class Measure:
    """Context manager: wall time, SQL and table growth of a block."""

    def __init__(self, cr, phase):
        self.cr = cr
        self.phase = phase

    def __enter__(self):
        self.before = count_rows(self.cr)
        self.cr.commit()  # pylint: disable=invalid-commit
        profile = getattr(threading.current_thread(), "bench_profile", None)
        if profile:
            profile.take()
        self.start = counters()
        return self

    def batch(self, started, done):
        now = counters()
        self.phase.batches.append(Batch(now[0] - started[0], now[1] - started[1], done))

    def __exit__(self, *exc):
        if exc[0]:
            return False
        end = counters()
        profile = getattr(threading.current_thread(), "bench_profile", None)
        if profile:
            self.phase.profile = profile.take()
        self.phase.wall = end[0] - self.start[0]
        self.phase.queries = end[1] - self.start[1]
        self.phase.sql_time = end[2] - self.start[2]
        self.phase.rss = rss_mb()
        after = count_rows(self.cr)
        self.cr.rollback()
        self.phase.rows = {t: after[t] - self.before[t] for t in after}
        return False


def run_cron_job(registry, xmlid, name):
    """Run a scheduled action the way ir.cron._run_job does: a progress record,
    the server action through ir.cron._callback, a commit; again while the job
    reports work done and work remaining."""
    from odoo import SUPERUSER_ID, api

    phase = Phase(name)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cron = env.ref(xmlid)
        job = {
            "id": cron.id,
            "user_id": cron.user_id.id,
            "cron_name": cron.cron_name,
            "action_id": cron.ir_actions_server_id.id,
            "lastcall": cron.lastcall,
        }
        cr.commit()  # pylint: disable=invalid-commit
        env = api.Environment(
            cr, job["user_id"], {"lastcall": job["lastcall"], "cron_id": job["id"]}
        )
        cron = env["ir.cron"].browse(job["id"])
        with Measure(cr, phase) as measure:
            while True:
                started = counters()
                batch_cron, progress = cron._add_progress(timed_out_counter=0)
                cr.commit()  # pylint: disable=invalid-commit
                batch_cron._callback(job["cron_name"], job["action_id"])
                progress.timed_out_counter = 0
                cr.commit()  # pylint: disable=invalid-commit
                done, remaining = progress.done, progress.remaining
                measure.batch(started, done)
                phase.done += done
                if not remaining or not done:
                    break
                if len(phase.batches) > 10000:
                    raise RuntimeError(f"{name}: the job never finishes")
    runs = math.ceil(len(phase.batches) / MAX_BATCH_PER_CRON_JOB)
    phase.note = f"{len(phase.batches)} batch(es), {runs} cron run(s)"
    return phase


def run_generation_for_day(registry, day, batch_size, name):
    """Call _generate_due_revisits(today=day) until nothing remains, committing
    after each batch like the cron runner."""
    from odoo import SUPERUSER_ID, api

    phase = Phase(name)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        revisits = env["aftersales.revisit"]
        with Measure(cr, phase) as measure:
            while True:
                started = counters()
                created, remaining = revisits._generate_due_revisits(
                    limit=batch_size, today=day
                )
                cr.commit()  # pylint: disable=invalid-commit
                measure.batch(started, created)
                phase.done += created
                if not remaining or not created:
                    break
    phase.note = f"{len(phase.batches)} batch(es), today={day}"
    return phase


# ----------------------------------------------------------------------------
# Dataset
# ----------------------------------------------------------------------------


@dataclass
class Dataset:
    scale: float
    today: date
    tz: object
    rng: random.Random
    advisors: list = field(default_factory=list)
    manager: int = 0
    customers: list = field(default_factory=list)  # dicts
    vehicles: list = field(default_factory=list)  # (id, customer index)
    services: list = field(default_factory=list)  # (id, state, date, handover)
    service_types: dict = field(default_factory=dict)
    timings: list = field(default_factory=list)
    build_seconds: float = 0.0


def chunks(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk_create(env, model, vals_list, ds, label):
    """ORM create in batches of BATCH with the bulk context; commit each batch."""
    started = counters()
    ids = []
    records = env[model].with_context(**BULK_CONTEXT)
    for batch in chunks(vals_list):
        ids += records.create(batch).ids
        env.cr.commit()  # pylint: disable=invalid-commit
    ended = counters()
    ds.timings.append((label, len(ids), ended[0] - started[0], ended[1] - started[1]))
    return ids


def utc_now():
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def local_to_utc(ds, day, minutes):
    local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)
    return ds.tz.localize(local).astimezone(timezone.utc).replace(tzinfo=None)


def utc_to_local_day(ds, moment):
    return moment.replace(tzinfo=timezone.utc).astimezone(ds.tz).date()


def mobile(rng):
    return "+32 4%d%d %02d %02d %02d" % (
        rng.randint(7, 9),
        rng.randint(0, 9),
        rng.randint(0, 99),
        rng.randint(0, 99),
        rng.randint(0, 99),
    )


def landline(rng):
    return "+32 9 2%02d %02d %02d" % (
        rng.randint(0, 99),
        rng.randint(0, 99),
        rng.randint(0, 99),
    )


def build_users(env, ds):
    from odoo import Command

    officer_group = env.ref(f"{ADDON}.aftersales_revisit_group_user")
    manager_group = env.ref(f"{ADDON}.aftersales_revisit_group_manager")
    count = max(2, round(ADVISORS * math.sqrt(ds.scale)))
    vals_list = [
        {
            "name": f"Service Advisor {i:03d}",
            "login": f"bench.advisor{i:03d}",
            "email": f"advisor{i:03d}@dealer.example.com",
            "groups_id": [Command.set([officer_group.id])],
            # both notification preferences, as in real teams
            "notification_type": "email" if i % 2 else "inbox",
            "tz": TIMEZONE,
        }
        for i in range(count)
    ]
    vals_list.append(
        {
            "name": "After-sales Manager",
            "login": "bench.manager",
            "email": "aftersales.manager@dealer.example.com",
            "groups_id": [Command.set([manager_group.id])],
            "notification_type": "inbox",
            "tz": TIMEZONE,
        }
    )
    ids = bulk_create(env, "res.users", vals_list, ds, "res.users (advisors)")
    ds.advisors, ds.manager = ids[:-1], ids[-1]
    env.company.revisit_manager_id = ds.manager
    env.cr.commit()  # pylint: disable=invalid-commit


def build_customers(env, ds):
    rng = ds.rng
    belgium = env.ref("base.be").id
    count = round(CUSTOMERS * ds.scale)
    vals_list = []
    for i in range(count):
        is_company = rng.random() < COMPANY_SHARE
        has_mobile = rng.random() < 0.85
        has_phone = rng.random() < (0.30 if has_mobile else 0.60)
        officer = rng.choice(ds.advisors) if rng.random() < 0.97 else False
        customer = {
            "name": (
                f"Customer Company {i:06d}" if is_company else f"Customer {i:06d}"
            ),
            "is_company": is_company,
            "country_id": belgium,
            "mobile": mobile(rng) if has_mobile else False,
            "phone": landline(rng) if has_phone else False,
            "email": f"customer{i:06d}@example.com" if rng.random() < 0.7 else False,
            "street": f"Rue de l'Atelier {i % 200 + 1}"
            if rng.random() < 0.92
            else False,
            "city": "Gent",
            "zip": "9000",
            "user_id": officer or rng.choice(ds.advisors),
            "revisit_officer_id": officer,
            "revisit_tier": rng.choices(
                ["key", "important", "ordinary"], weights=[10, 25, 65]
            )[0],
            "revisit_do_not_call": rng.random() < 0.01,
            "revisit_expected_services": (
                "Pick-up and delivery; courtesy car" if rng.random() < 0.55 else False
            ),
        }
        vals_list.append(customer)
    ids = bulk_create(env, "res.partner", vals_list, ds, "res.partner (customers)")
    for customer_id, vals in zip(ids, vals_list, strict=True):
        ds.customers.append(dict(vals, id=customer_id))
    # one contact per company customer: the driver of its cars
    companies = [c for c in ds.customers if c["is_company"]]
    contacts = bulk_create(
        env,
        "res.partner",
        [
            {
                "name": f"Driver at {c['name']}",
                "parent_id": c["id"],
                "type": "contact",
                "mobile": mobile(rng),
                "country_id": belgium,
            }
            for c in companies
        ],
        ds,
        "res.partner (company drivers)",
    )
    for company, contact_id in zip(companies, contacts, strict=True):
        company["driver_id"] = contact_id


def build_vehicles(env, ds):
    rng = ds.rng
    brand = env["fleet.vehicle.model.brand"].create({"name": "Bench Motors"})
    models = bulk_create(
        env,
        "fleet.vehicle.model",
        [
            {
                "name": name,
                "brand_id": brand.id,
                "vehicle_type": "car",
                "revisit_interval_months": months,
                "revisit_interval_km": km,
            }
            for name, months, km in (
                ("City", 12, 15000),
                ("Compact", 12, 20000),
                ("Estate", 12, 30000),
                ("SUV", 6, 10000),
                ("Van", 6, 20000),
                ("Hybrid", 12, 15000),
                ("Electric", 24, 30000),
                ("Sport", 6, 10000),
            )
        ],
        ds,
        "fleet.vehicle.model",
    )
    vals_list, owners = [], []
    for index, customer in enumerate(ds.customers):
        for _n in range(2 if rng.random() < SECOND_VEHICLE else 1):
            if customer["is_company"]:
                driver, owner = customer["driver_id"], customer["id"]
            else:
                driver = customer["id"]
                owner = customer["id"] if rng.random() < 0.3 else False
            vals_list.append(
                {
                    "model_id": rng.choice(models),
                    "license_plate": (
                        "%d-%s-%03d"
                        % (
                            rng.randint(1, 2),
                            "".join(rng.choices("ABCDEFGHJKLMNPRSTVWXYZ", k=3)),
                            rng.randint(0, 999),
                        )
                        if rng.random() < 0.97
                        else False
                    ),
                    "driver_id": driver,
                    "owner_id": owner,
                    "active": rng.random() >= ARCHIVED_VEHICLES,
                    "acquisition_date": ds.today
                    - timedelta(days=rng.randint(200, 3650)),
                }
            )
            owners.append(index)
    ids = bulk_create(env, "fleet.vehicle", vals_list, ds, "fleet.vehicle")
    ds.vehicles = list(zip(ids, owners, strict=True))


def service_vals(ds, vehicle_id, day, now, cancelled=False):
    """Values of one service record dated `day`, handed over that day or the
    next, or (8 %) without handover."""
    rng = ds.rng
    category, _weight, type_name = rng.choices(
        CATEGORIES, weights=[c[1] for c in CATEGORIES]
    )[0]
    handover = False
    if not cancelled and rng.random() < 0.92:
        handover_day = day + timedelta(days=1 if rng.random() < 0.15 else 0)
        handover = local_to_utc(ds, handover_day, rng.randint(9 * 60, 19 * 60))
        if handover > now and day <= ds.today:
            handover = now - timedelta(minutes=rng.randint(1, 90))
    return {
        "vehicle_id": vehicle_id,
        "service_type_id": ds.service_types[type_name],
        "date": day,
        "state": "cancelled" if cancelled else "done",
        "amount": round(
            rng.uniform(900, 4000)
            if category == "insurance"
            else rng.uniform(80, 1500),
            2,
        ),
        "revisit_category": category,
        "revisit_handover": handover,
        "revisit_advisor_id": rng.choice(ds.advisors),
        "revisit_items": (
            "\n".join(rng.sample(ITEMS, rng.randint(1, 4)))
            if rng.random() < 0.8
            else False
        ),
    }


def build_services(env, ds):
    rng = ds.rng
    ds.service_types = {
        name: env["fleet.service.type"].create({"name": name, "category": "service"}).id
        for _c, _w, name in CATEGORIES
    }
    first = (ds.today - relativedelta_months(MONTHS)) + timedelta(days=1)
    days = [first + timedelta(days=n) for n in range((ds.today - first).days + 1)]
    # seasonal (spring and autumn peaks), quiet Sundays
    weights = [
        (1 + 0.2 * math.cos(4 * math.pi * (d.timetuple().tm_yday - 100) / 365.25))
        * (0.15 if d.weekday() == 6 else 1.0)
        for d in days
    ]
    total = round(SERVICES_PER_MONTH * MONTHS * ds.scale)
    dates = sorted(rng.choices(days, weights=weights, k=total))
    serviced = [v for v in ds.vehicles if rng.random() >= NEVER_SERVICED]
    activity = [rng.gammavariate(2.0, 1.0) for _v in serviced]
    picked = rng.choices(serviced, weights=activity, k=total)
    now = utc_now()
    vals_list = [
        service_vals(ds, vehicle[0], day, now, cancelled=rng.random() < CANCELLED)
        for day, vehicle in zip(dates, picked, strict=True)
    ]
    ids = bulk_create(
        env, "fleet.vehicle.log.services", vals_list, ds, "fleet.vehicle.log.services"
    )
    ds.services = [
        (sid, v["state"], v["date"], v["revisit_handover"], v["vehicle_id"])
        for sid, v in zip(ids, vals_list, strict=True)
    ]


def add_day_of_services(env, ds, day):
    """One more day of services (the steady-state day), not timed as a phase."""
    rng = ds.rng
    count = round(SERVICES_PER_MONTH * 12 / 365.25 * ds.scale)
    vehicles = rng.choices(ds.vehicles, k=count)
    vals_list = [service_vals(ds, v[0], day, utc_now()) for v in vehicles]
    ids = bulk_create(
        env, "fleet.vehicle.log.services", vals_list, ds, "next day's services"
    )
    ds.services += [
        (sid, v["state"], v["date"], v["revisit_handover"], v["vehicle_id"])
        for sid, v in zip(ids, vals_list, strict=True)
    ]


def relativedelta_months(months):
    from dateutil.relativedelta import relativedelta

    return relativedelta(months=months)


def build_calls(env, ds):
    """The last CALL_HISTORY_DAYS of the call log: follow-up calls, consultations
    and complaints, some still unsolved (escalation candidates)."""
    rng = ds.rng
    now = utc_now()
    count = round(CALLS_PER_MONTH * CALL_HISTORY_DAYS / 30 * ds.scale)
    vehicles_of = {}
    for vehicle_id, index in ds.vehicles:
        vehicles_of.setdefault(index, []).append(vehicle_id)
    reachable = [i for i, c in enumerate(ds.customers) if c["mobile"] or c["phone"]]
    vals_list = []
    for _n in range(count):
        index = rng.choice(reachable)
        customer = ds.customers[index]
        day = ds.today - timedelta(days=rng.randint(0, CALL_HISTORY_DAYS - 1))
        when = min(local_to_utc(ds, day, rng.randint(8 * 60, 18 * 60)), now)
        call_type = rng.choices(
            ["follow_up", "consultation", "complaint", "other"],
            weights=[80, 10, 7, 3],
        )[0]
        outbound = call_type == "follow_up"
        reached = (
            rng.choices(
                ["answered", "no_answer", "busy", "call_back"],
                weights=[75, 15, 5, 5],
            )[0]
            if outbound
            else "answered"
        )
        vals = {
            "direction": "outbound" if outbound else "inbound",
            "call_type": call_type,
            "partner_id": customer["id"],
            "phone": customer["mobile"] or customer["phone"],
            "vehicle_id": rng.choice(vehicles_of[index]),
            "user_id": customer["revisit_officer_id"] or rng.choice(ds.advisors),
            "date": when,
            "duration": round(rng.uniform(0.5, 12), 1),
            "reached": reached,
        }
        if reached == "answered":
            vals["key_points"] = "Customer satisfied with the last service."
            vals["satisfaction"] = rng.randint(60, 100)
            pending = call_type == "complaint" or (outbound and rng.random() < 0.05)
            if pending:
                vals["complaint" if call_type == "complaint" else "requests"] = (
                    "Noise from the front axle since the last service."
                )
                age = (now - when).days
                if age > 4 and rng.random() < 0.7:
                    vals.update(
                        resolution_state=rng.choice(["solved", "informed"]),
                        solution="Front axle bushing replaced under warranty.",
                        date_solved=when + timedelta(days=rng.randint(1, 2)),
                    )
        vals_list.append(vals)
    vals_list.sort(key=lambda v: v["date"])
    bulk_create(env, "aftersales.call", vals_list, ds, "aftersales.call")


def build_dataset(registry, scale, seed):
    import pytz

    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company
        # a Belgian dealer; follow-up days are counted in the company's timezone
        company.partner_id.tz = TIMEZONE
        if company.resource_calendar_id:
            company.resource_calendar_id.tz = TIMEZONE
        cr.commit()  # pylint: disable=invalid-commit
        ds = Dataset(
            scale=scale,
            today=company._revisit_today(),
            tz=pytz.timezone(company._revisit_tz().zone),
            rng=random.Random(seed),
        )
        started = time.perf_counter()
        build_users(env, ds)
        build_customers(env, ds)
        build_vehicles(env, ds)
        build_services(env, ds)
        build_calls(env, ds)
        cr.commit()  # pylint: disable=invalid-commit
        ds.build_seconds = time.perf_counter() - started
    return ds


# ----------------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------------


def service_plans(env):
    """[(horizon, [(offset, window)])] of the service-trigger plans, or None when
    a plan has an audience (the expected count is then not computed here)."""
    plans = env["aftersales.revisit.plan"].search(
        [("trigger", "=", "service"), ("step_ids", "!=", False)]
    )
    if any(p._audience_domain() for p in plans):
        return None
    return [
        (p.horizon_days, [(s.id, s.offset_days, s.window_days) for s in p.step_ids])
        for p in plans
    ]


def due_pairs(ds, plans, day):
    """(visit, step) pairs whose follow-up is due or planned ahead on `day`,
    from SPEC §4: inside the step's window, at most `horizon` days ahead. A
    visit is a vehicle handed back on a local day, whatever its service count."""
    pairs = set()
    for _service_id, state, service_day, handover, vehicle_id in ds.services:
        if state != "done":
            continue
        trigger = utc_to_local_day(ds, handover) if handover else service_day
        for horizon, steps in plans:
            for step_id, offset, window in steps:
                due = trigger + timedelta(days=offset)
                if (
                    due + timedelta(days=window) >= day
                    and due - timedelta(days=horizon) <= day
                ):
                    pairs.add((vehicle_id, trigger, step_id))
    return pairs


def integrity(registry):
    with registry.cursor() as cr:
        cr.execute(
            """SELECT COUNT(*) FROM (SELECT 1 FROM aftersales_revisit
               WHERE trigger_key IS NOT NULL
               GROUP BY step_id, trigger_key HAVING COUNT(*) > 1) d"""
        )
        duplicates = cr.fetchone()[0]
        cr.execute(
            """SELECT COUNT(*) FROM aftersales_revisit r
               WHERE r.state = 'planned' AND NOT EXISTS (
                   SELECT 1 FROM mail_activity a
                   WHERE a.res_model = 'aftersales.revisit' AND a.res_id = r.id)"""
        )
        without_activity = cr.fetchone()[0]
        cr.execute(
            "SELECT COUNT(*) FROM aftersales_revisit WHERE contact_issue IS NOT NULL"
        )
        contact_issues = cr.fetchone()[0]
    return duplicates, without_activity, contact_issues


# ----------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def print_table(header, rows):
    widths = [
        max(len(str(cell)) for cell in column)
        for column in zip(header, *rows, strict=True)
    ]
    line = "  ".join(
        str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
        for i, (cell, w) in enumerate(zip(header, widths, strict=True))
    )
    out(line)
    out("-" * len(line))
    for row in rows:
        out(
            "  ".join(
                str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def report(ds, phases, checks, install_seconds):
    out()
    out(f"== Dataset (scale {ds.scale:g}, today {ds.today}, tz {ds.tz.zone}) ==")
    print_table(
        ["ORM create (bulk context)", "records", "seconds", "rec/s", "queries/rec"],
        [
            (
                label,
                f"{n:,}",
                f"{seconds:.1f}",
                f"{n / seconds:,.0f}" if seconds else "-",
                f"{queries / n:.2f}" if n else "-",
            )
            for label, n, seconds, queries in ds.timings
        ],
    )
    done = sum(1 for s in ds.services if s[1] == "done")
    out(
        f"install {install_seconds:.0f} s, dataset {ds.build_seconds:.0f} s; "
        f"{len(ds.advisors)} advisors, {len(ds.customers):,} customers, "
        f"{len(ds.vehicles):,} vehicles, {len(ds.services):,} services "
        f"({done:,} done)"
    )
    out()
    out("== Scheduled actions ==")
    print_table(
        [
            "phase",
            "batches",
            "done",
            "created",
            "wall s",
            "SQL q",
            "SQL s",
            "py s",
            "q/created",
            "max batch s",
            "p95 batch s",
            "max batch q",
            "peak RSS MB",
        ],
        [
            (
                p.name,
                len(p.batches),
                f"{p.done:,}",
                f"{p.created:,}",
                f"{p.wall:.2f}",
                f"{p.queries:,}",
                f"{p.sql_time:.2f}",
                f"{p.wall - p.sql_time:.2f}",
                f"{p.queries / p.created:.2f}" if p.created else "-",
                f"{max(p.per_batch('seconds'), default=0):.2f}",
                f"{percentile(p.per_batch('seconds'), 0.95):.2f}",
                f"{max(p.per_batch('queries'), default=0):,}",
                f"{p.rss:.0f}",
            )
            for p in phases
        ],
    )
    out(
        "done = what the job reported (follow-ups, calls escalated, files checked); "
        "created = new aftersales_revisit rows"
    )
    out()
    out("== Rows added per phase ==")
    print_table(
        ["phase", *(label for _t, label in COUNTED_TABLES), "activities/s"],
        [
            (
                p.name,
                *(f"{p.rows.get(t, 0):,}" for t, _l in COUNTED_TABLES),
                (
                    f"{p.rows['mail_activity'] / p.wall:,.0f}"
                    if p.rows.get("mail_activity") and p.wall
                    else "-"
                ),
            )
            for p in phases
        ],
    )
    for p in phases:
        repeated = sorted(
            ((n, sec, key) for key, (n, sec) in p.profile.items() if n >= 10),
            reverse=True,
        )
        if repeated:
            out()
            out(f"== Repeated queries in {p.name} (--profile-sql) ==")
            for n, seconds, (shape, where) in repeated[:8]:
                out(f"{n:7,} x {seconds:6.2f} s  {where}")
                out(f"          {shape[:150]}")
    out()
    out("== Checks (time and query targets apply to scale 1) ==")
    for ok, text in checks:
        out(f"[{'PASS' if ok else 'FAIL' if ok is False else 'INFO'}] {text}")
    for p in phases:
        if p.note:
            out(f"  {p.name}: {p.note}")


def evaluate(ds, phases, expected, integrity_result, strict=True):
    backfill, rerun, next_day = phases[0], phases[1], phases[2]
    mail_mail = {p.name: p.rows.get("mail_mail", 0) for p in phases}
    checks = []
    if expected:
        exp_backfill, exp_next = expected
        # a --template database may hold services of its own (demo data)
        verdict = (
            (lambda ok: ok) if strict else (lambda ok: None if ok is False else ok)
        )
        checks.append(
            (
                verdict(backfill.created == exp_backfill),
                f"backfill created {backfill.created:,} follow-ups; the dataset has "
                f"{exp_backfill:,} (visit, step) pairs due or planned ahead today",
            )
        )
        checks.append(
            (
                verdict(next_day.created == exp_next),
                f"next day created {next_day.created:,}; expected {exp_next:,}",
            )
        )
    checks.append((rerun.created == 0, f"rerun created {rerun.created} (must be 0)"))
    duplicates, without_activity, contact_issues = integrity_result
    checks.append(
        (duplicates == 0, f"{duplicates} duplicate (step, trigger) follow-ups")
    )
    checks.append(
        (
            without_activity == 0,
            f"{without_activity} planned follow-ups without an activity",
        )
    )
    checks.append(
        (
            None,
            f"{contact_issues:,} follow-ups carry a contact issue "
            "(customer without a callable number)",
        )
    )
    generation = phases[:3]
    for p in generation:
        if p.created:
            ratio = p.queries / p.created
            checks.append(
                (
                    ratio <= 0.15,
                    f"{p.name}: {ratio:.2f} SQL queries per follow-up (target <= 0.15)",
                )
            )
        checks.append(
            (
                p.rows.get("mail_activity", 0) == p.created,
                f"{p.name}: {p.rows.get('mail_activity', 0):,} activities for "
                f"{p.created:,} follow-ups",
            )
        )
    if ds.scale == 1:
        checks.append(
            (
                next_day.wall < 1 and next_day.queries < 50,
                f"daily run {next_day.wall:.2f} s, {next_day.queries} queries "
                "(target < 1 s, < 50 queries)",
            )
        )
        checks.append(
            (
                backfill.wall < 3,
                f"backfill {backfill.wall:.2f} s (target < 3 s for 1,500)",
            )
        )
    slowest = max((max(p.per_batch("seconds"), default=0), p.name) for p in phases)
    checks.append(
        (slowest[0] < 5, f"slowest batch {slowest[0]:.2f} s in {slowest[1]} (< 5 s)")
    )
    for name, rows in mail_mail.items():
        if rows:
            checks.append((False, f"{name}: {rows:,} mail_mail rows (e-mails queued)"))
    if not any(mail_mail.values()):
        checks.append((True, "no mail_mail row queued by any phase"))
    return checks


# ----------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(
        description="Benchmark aftersales_revisit's crons on a generated dealer "
        "dataset (a database is created, and dropped unless --keep)."
    )
    parser.add_argument(
        "--db", required=True, help="database to create (must not exist)"
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="1 = 1,500 customers and 650 services a month over 36 months",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--template",
        help="copy this database (e.g. one with fleet, sms and contacts installed) "
        "instead of creating a fresh one without demo data",
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN (ANALYZE, BUFFERS) of the follow-up candidate query "
        "as the immediate rerun ran it",
    )
    parser.add_argument(
        "--profile-sql",
        action="store_true",
        help="group each phase's queries by shape and calling line (slower)",
    )
    options = parser.parse_args()
    if options.scale <= 0:
        parser.error("--scale must be positive")

    odoo_dir = odoo_path()
    pg = pg_settings()
    odoo = import_odoo(odoo_dir, options.db, pg)
    if database_exists(odoo, options.db):
        fail(f"database {options.db!r} exists; drop it or choose another --db")

    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    thread = threading.current_thread()
    thread.query_hooks = []
    if options.profile_sql:
        thread.bench_profile = QueryProfile(odoo_dir)
        thread.query_hooks.append(thread.bench_profile)
    candidate_query = CaptureQuery("JOIN aftersales_revisit_plan_step st")
    if options.explain:
        thread.query_hooks.append(candidate_query)
    out(
        f"Odoo {odoo.release.version} ({odoo_dir}), Python {platform.python_version()}"
        f", {os.cpu_count()} CPU, PostgreSQL {pg['host']}:{pg['port']}, "
        f"db {options.db}, scale {options.scale:g}"
    )
    total = time.perf_counter()
    created_db = False
    try:
        created_db = True
        install_seconds = create_database(
            odoo, options.db, options.template, pg, odoo_dir
        )
        out(f"database ready in {install_seconds:.0f} s; building the dataset ...")
        registry = Registry(options.db)
        ds = build_dataset(registry, options.scale, options.seed)
        out(
            f"dataset built in {ds.build_seconds:.0f} s, VACUUM ANALYZE in "
            f"{vacuum_analyze(odoo, options.db):.0f} s; measuring ..."
        )

        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            plans = service_plans(env)
        expected_today = due_pairs(ds, plans, ds.today) if plans else None

        phases = [
            run_cron_job(registry, GENERATE_CRON, "1 backfill (first run)"),
            run_cron_job(registry, GENERATE_CRON, "2 immediate rerun"),
        ]
        plan_lines = explain(registry, candidate_query.last) if options.explain else []
        tomorrow = ds.today + timedelta(days=1)
        with registry.cursor() as cr:
            add_day_of_services(api.Environment(cr, SUPERUSER_ID, {}), ds, tomorrow)
        phases.append(
            run_generation_for_day(registry, tomorrow, 500, "3 next day (steady)")
        )
        expected = None
        if plans:
            expected_tomorrow = due_pairs(ds, plans, tomorrow)
            expected = (
                len(expected_today),
                len(expected_tomorrow - expected_today),
            )
        phases += [
            run_cron_job(registry, ESCALATE_CRON, "4a escalate unsolved calls"),
            run_cron_job(registry, SERVICE_FILES_CRON, "4b 2-day rule: services"),
            run_cron_job(registry, CALL_FILES_CRON, "4c 2-day rule: calls"),
        ]
        checks = evaluate(
            ds, phases, expected, integrity(registry), strict=not options.template
        )
        report(ds, phases, checks, install_seconds)
        if plan_lines:
            out()
            out("== EXPLAIN (ANALYZE, BUFFERS): candidate query of the rerun ==")
            for line in plan_lines:
                out(line)
    finally:
        if created_db and not options.keep:
            try:
                drop_database(odoo, options.db)
                out(f"\ndropped {options.db}")
            except Exception as error:  # noqa: BLE001
                sys.stderr.write(f"could not drop {options.db}: {error}\n")
        elif created_db:
            out(f"\nkept {options.db}")
        out(f"total {time.perf_counter() - total:.0f} s")


if __name__ == "__main__":
    main()
