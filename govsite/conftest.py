import pytest
import redis
from django.conf import settings

from govsite.testing import build_mini_region


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
