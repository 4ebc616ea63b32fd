"""Repository-wide pytest policy: every collected test must run.

A skipped (or expected-to-fail) test hides a check, so it fails the session, and so
does a session that collected no test at all. Odoo skips quietly in several places
(``HttpCase`` without ``--odoo-http``, a missing Chrome, a ``SkipTest`` in
``setUpClass``); this turns each of them into a visible failure.
"""

import pytest


class SkipsFailTheRun:
    """Collect skips while the session runs; fail the session at the end."""

    def __init__(self):
        self.skipped = []

    def _record(self, report):
        if not report.skipped:
            return
        if hasattr(report, "wasxfail"):
            reason = f"xfail: {report.wasxfail or 'no reason given'}"
        elif isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
            reason = str(report.longrepr[2])
        else:
            reason = str(report.longrepr)
        self.skipped.append((report.nodeid, reason))

    def pytest_collectreport(self, report):
        # a whole module skipped at import (pytest.importorskip, module-level skip)
        self._record(report)

    def pytest_runtest_logreport(self, report):
        self._record(report)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        config = session.config
        if config.option.collectonly:
            return
        reporter = config.pluginmanager.get_plugin("terminalreporter")

        def write(title, lines=()):
            if reporter is not None:
                reporter.write_line("")  # end a progress line left open by -q
                reporter.write_sep("=", title, red=True, bold=True)
                for line in lines:
                    reporter.write_line(line)

        if self.skipped:
            write(
                f"{len(self.skipped)} skipped test(s): a skip fails this run",
                [f"SKIPPED {nodeid} - {reason}" for nodeid, reason in self.skipped],
            )
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if session.testscollected == 0 and session.exitstatus in (
            pytest.ExitCode.OK,
            pytest.ExitCode.NO_TESTS_COLLECTED,
        ):
            write("no test was collected: this run fails")
            session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED


def pytest_configure(config):
    config.pluginmanager.register(SkipsFailTheRun(), "skips-fail-the-run")
