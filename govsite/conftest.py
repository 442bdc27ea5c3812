import pytest

from govsite.testing import build_mini_region


@pytest.fixture
def mini_region(db):  # noqa: ANN001, ANN201
    """A region, two prefectures, a county, their governments and four hosted sites."""
    return build_mini_region(hosted=True)
