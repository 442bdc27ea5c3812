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
