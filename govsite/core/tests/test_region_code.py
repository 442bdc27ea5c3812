"""行政区划代码 accepts six ASCII digits only: full-width or other Unicode digits match `\\d` but are not codes."""

import pytest
from django.core.exceptions import ValidationError

from govsite.core.models import Region


@pytest.mark.parametrize("code", ["９９００００", "99000٠", "99000\n", "9900000", "99000"])
def test_region_codes_are_six_ascii_digits(code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Region(code=code, name="示范", level=Region.Level.PROVINCE).full_clean()
    assert "行政区划代码应为 6 位数字。" in str(refused.value)


def test_a_plain_code_is_accepted() -> None:
    Region(code="990000", name="示范", level=Region.Level.PROVINCE).clean_fields()
