"""The demo's second factor: demo accounts share a published TOTP secret that works only in the demo."""

from __future__ import annotations

from io import StringIO

import pyotp
import pytest
from django.core.management import CommandError, call_command

from govsite.accounts import services
from govsite.testing import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # builds the demo region


def test_demo_accounts_get_the_published_secret_which_is_refused_outside_the_demo(settings) -> None:
    settings.GOVSITE_ALLOW_DEMO = True
    user = make_user("admin")
    device = services.do_enrol_demo_totp(user)
    assert device is not None and services.totp_secret(device) == services.DEMO_TOTP_SECRET
    assert services.do_enrol_demo_totp(user) is None  # an enrolled account keeps its device
    code = pyotp.TOTP(services.DEMO_TOTP_SECRET).now()
    settings.GOVSITE_ALLOW_DEMO = False
    with pytest.raises(services.SecondFactorError):
        services.verify_second_factor(user, code)
    settings.GOVSITE_ALLOW_DEMO = True
    assert services.verify_second_factor(user, code).pk == device.pk
    settings.GOVSITE_ALLOW_DEMO = False
    assert services.do_enrol_demo_totp(make_user("other")) is None


def test_demo_totp_prints_the_current_code_in_the_demo_only(settings) -> None:
    settings.GOVSITE_ALLOW_DEMO = True
    services.do_enrol_demo_totp(make_user("admin"))
    out = StringIO()
    call_command("demo_totp", "admin", stdout=out)
    assert pyotp.TOTP(services.DEMO_TOTP_SECRET).verify(out.getvalue().split("：")[1][:6], valid_window=1)
    settings.GOVSITE_ALLOW_DEMO = False
    with pytest.raises(CommandError, match="只有演示环境"):
        call_command("demo_totp", "admin")
