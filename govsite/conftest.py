import pytest
import redis
from django.conf import settings

from govsite.testing import build_mini_region, force_login_verified


@pytest.fixture
def mini_region(db):  # noqa: ANN001, ANN201
    """A region, two prefectures, a county, their governments and four hosted sites."""
    return build_mini_region(hosted=True)


@pytest.fixture
def redis_broker():  # noqa: ANN201
    """The tests' Redis database (the Celery broker of the worker tests), emptied before and after."""
    client = redis.Redis.from_url(settings.REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis 未运行（{settings.REDIS_TEST_URL}）：请先启动 redis-server。{exc}")
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):  # noqa: ANN001, ANN202
    """`Client.force_login` stands for a completed login, both factors (GOVSITE_REQUIRE_2FA is on in tests).

    Tests of the login steps themselves (govsite/accounts/tests) go through the real pages.
    """
    from functools import wraps

    from django.test import Client

    plain = Client.force_login

    @wraps(plain)
    def force_login(self, user, backend=None):  # noqa: ANN001, ANN202
        force_login_verified(self, user, backend)

    monkeypatch.setattr(Client, "force_login", force_login)


def _restore_serialized_into_empty_tables() -> None:
    """A test marked serialized_rollback reloads the migrated rows (content types, roles, Wagtail's root…)
    with their original ids. Django loads them into whatever the test before left: after a plain
    transactional test, whose flush re-ran post_migrate, the content types are there again under other ids,
    and the load itself makes more (Wagtail's Task.__init__ asks for its content type while the rows are
    read), so it fails on their unique key. Flush first (without post_migrate) and put the serialized
    content types in before the rest, so the load always starts from the same state."""
    import json

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections
    from django.test import TransactionTestCase

    load = TransactionTestCase._fixture_setup.__func__
    content_types: dict[str, list[ContentType]] = {}

    def _fixture_setup(cls):  # noqa: ANN001, ANN202
        if cls.serialized_rollback:
            for db_name in cls._databases_names(include_mirrors=False):
                contents = getattr(connections[db_name], "_test_serialized_contents", None)
                if not contents:
                    continue
                call_command("flush", verbosity=0, interactive=False, database=db_name,
                             reset_sequences=False, inhibit_post_migrate=True)
                if db_name not in content_types:
                    content_types[db_name] = [
                        ContentType(id=row["pk"], **row["fields"])
                        for row in json.loads(contents) if row["model"] == "contenttypes.contenttype"
                    ]
                ContentType.objects.db_manager(db_name).bulk_create(content_types[db_name])
                ContentType.objects.clear_cache()
        load(cls)

    TransactionTestCase._fixture_setup = classmethod(_fixture_setup)


_restore_serialized_into_empty_tables()


# -- markers: browser and slow tests can be selected (-m browser, -m "not slow") ----------------------------------

SLOW_REPORT_SECONDS = 3.0
_unmarked_seconds: dict[str, float] = {}


def pytest_collection_modifyitems(config, items) -> None:  # noqa: ANN001
    """A test that drives Chromium carries the `browser` marker, or `-m "not browser"` would still start
    browsers: a test whose body opens one (`chromium()`) without the marker is a collection error."""
    import inspect

    unmarked = []
    for item in items:
        if getattr(item, "function", None) is None or item.get_closest_marker("browser"):
            continue
        if "chromium()" in inspect.getsource(item.function):
            unmarked.append(item.nodeid)
    if unmarked:
        raise pytest.UsageError("这些测试启动浏览器却没有 browser 标记：\n" + "\n".join(unmarked))


_creates_test_database: set[str] = set()


def pytest_runtest_setup(item) -> None:  # noqa: ANN001
    """Before any fixture of the test is set up."""
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    # The first test that needs the database pays for creating it (migrations) in its set-up: not its own.
    if not _creates_test_database and (marker or {"db", "transactional_db", "live_server"} & fixtures):
        _creates_test_database.add(item.nodeid)
    # Before a transactional test, free what the threads of earlier tests left behind. A thread (an in-process
    # Celery worker, a heartbeat, a live-server request) has a database connection of its own, and a Django
    # connection sits in reference cycles: when the thread ends, the connection stays open until the garbage
    # collector runs. With SQLite's shared-cache test database such a connection can hold a table lock
    # ("database table is locked") into a later test; Django will not close an in-memory connection, but
    # collecting it does. Here, before the test's database set-up writes anything.
    transactional = marker and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback"))
    if transactional or {"transactional_db", "live_server"} & fixtures:
        import gc

        gc.collect()


def pytest_runtest_logreport(report) -> None:  # noqa: ANN001
    # Set-up counts too: a module's demo region is built in the first test's set-up.
    if report.when == "setup" and report.nodeid in _creates_test_database:
        return
    if report.when in ("setup", "call") and "slow" not in report.keywords and "browser" not in report.keywords:
        _unmarked_seconds[report.nodeid] = _unmarked_seconds.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    """Names the tests that took several seconds (set-up and call) without the `slow` marker, so the marker
    stays true. A report, not a failure: how long a test takes depends on the machine (timings belong in
    bench/)."""
    slow = sorted(((s, n) for n, s in _unmarked_seconds.items() if s >= SLOW_REPORT_SECONDS), reverse=True)
    if slow:
        terminalreporter.section("slow tests without the slow marker")
        for seconds, nodeid in slow:
            terminalreporter.write_line(f"{seconds:6.1f} s  {nodeid}")


# --- the live server on the in-memory SQLite test database ------------------------------------------------
# Django shares the test's one in-memory SQLite connection with the live server's threads. Its threaded server
# answers a page, its icon sprite and Wagtail's editing-session pings at once on that one connection, which
# SQLite answers with "table is locked" or "no such savepoint" and which once deadlocked a crawl. On that
# database the live server answers one request at a time, as the connection can; PostgreSQL keeps Django's
# threaded server (each thread its own connection, like production).
def _serial_live_server_on_in_memory_sqlite() -> None:
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3") or database.get("TEST", {}).get("NAME"):
        return

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
            super().__init__(*args, **kwargs)  # requests run in the server thread, on its shared connection

    LiveServerThread.server_class = SerialWSGIServer


_serial_live_server_on_in_memory_sqlite()
