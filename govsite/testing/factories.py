"""Factories shared by the test suites: a small region tree with units, websites and users (`govsite.testing`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from govsite.core.access import SYSTEM
from govsite.core.models import Region, Unit
from govsite.core.services import do_assign_role
from govsite.registry.models import Website, WebsiteKind, WebsiteStatus

_counter = itertools.count(1)


def make_user(username: str | None = None, password: str = "Test-pass-2026!", **extra):  # noqa: ANN201
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(username=username, password=password, **extra)


def make_website(
    owner: Unit,
    *,
    site_code: str,
    name: str,
    host: str,
    kind: str = WebsiteKind.PORTAL,
    status: str = WebsiteStatus.RUNNING,
    supervising: Unit | None = None,
    hosted: bool = False,
    is_default: bool = False,
) -> Website:
    """A registry entry created directly (validation rules are tested in registry tests)."""
    website = Website.objects.create(
        site_code=site_code,
        name=name,
        kind=kind,
        supervising_unit=supervising or owner,
        owner_unit=owner,
        homepage_url=f"https://{host}/",
        icp_number="示ICP备00000001号",
        police_record_number="示公网安备 99000002000001号",
        party_gov_mark="9900000001",
        contact_phone="0990-1234567",
        status=status,
    )
    if hosted:
        from govsite.content.services import do_provision_hosted_site

        # Without the 政府信息公开 tree (about 25 pages, seconds a site); `with_disclosure_columns` adds it.
        do_provision_hosted_site(website, by=SYSTEM, is_default=is_default, disclosure_columns=False)
        website.refresh_from_db()
    return website


@dataclass
class MiniRegion:
    """示范自治区 in miniature: a region, two prefectures, one county under the first, and their sites."""

    province: Region
    prefecture_a: Region
    prefecture_b: Region
    county_a1: Region
    gov: Unit
    gov_a: Unit
    gov_b: Unit
    gov_a1: Unit
    dept_edu: Unit
    portal: Website
    site_a: Website
    site_b: Website
    site_a1: Website
    users: dict = field(default_factory=dict)


def build_mini_region(*, hosted: bool = True) -> MiniRegion:
    province = Region.objects.create(code="990000", name="示范自治区", level=Region.Level.PROVINCE)
    pref_a = Region.objects.create(code="990100", name="甲市", level=Region.Level.PREFECTURE, parent=province)
    pref_b = Region.objects.create(code="990200", name="乙市", level=Region.Level.PREFECTURE, parent=province)
    county_a1 = Region.objects.create(code="990102", name="甲一县", level=Region.Level.COUNTY, parent=pref_a)
    gov = Unit.objects.create(name="示范自治区人民政府", kind=Unit.Kind.GOVERNMENT, region=province)
    gov_a = Unit.objects.create(name="甲市人民政府", kind=Unit.Kind.GOVERNMENT, region=pref_a, parent=gov)
    gov_b = Unit.objects.create(name="乙市人民政府", kind=Unit.Kind.GOVERNMENT, region=pref_b, parent=gov)
    gov_a1 = Unit.objects.create(name="甲一县人民政府", kind=Unit.Kind.GOVERNMENT, region=county_a1, parent=gov_a)
    dept_edu = Unit.objects.create(name="示范自治区教育厅", kind=Unit.Kind.DEPARTMENT, region=province, parent=gov)
    portal = make_website(gov, site_code="9900000001", name="示范自治区人民政府网", host="www.sf.gov.cn",
                          hosted=hosted, is_default=True)
    site_a = make_website(gov_a, site_code="9901000001", name="甲市人民政府网", host="www.jia.gov.cn", hosted=hosted)
    site_b = make_website(gov_b, site_code="9902000001", name="乙市人民政府网", host="www.yi.gov.cn", hosted=hosted)
    site_a1 = make_website(gov_a1, site_code="9901020001", name="甲一县人民政府网", host="www.jiayi.gov.cn",
                           hosted=hosted)
    return MiniRegion(province, pref_a, pref_b, county_a1, gov, gov_a, gov_b, gov_a1, dept_edu,
                      portal, site_a, site_b, site_a1)


def give_role(user, role: str, *, unit: Unit | None = None, website: Website | None = None,  # noqa: ANN001, ANN201
              by=SYSTEM):  # noqa: ANN001
    """Assign a role as the system actor (like a command), or as `by` to test who may assign what."""
    return do_assign_role(user, role, unit=unit, website=website, by=by)


def with_disclosure_columns(*websites: Website) -> None:
    """Give hosted test sites the uniform 政府信息公开 column tree, as provisioning does outside the tests."""
    from govsite.content.disclosure_site import ensure_disclosure_columns

    for website in websites:
        ensure_disclosure_columns(website, website.wagtail_site.root_page, by=SYSTEM)


def with_site_staff(region: MiniRegion) -> MiniRegion:
    """甲市's hosted site with a published 通知公告 column (`region.column`), an editor, a reviewer and a
    保密审查员 (`region.secrecy`)."""
    from govsite.content.models import ColumnPage
    from govsite.core.models import Role

    home = region.site_a.wagtail_site.root_page.specific
    region.column = home.add_child(instance=ColumnPage(title="通知公告", slug="notices"))
    region.column.save_revision().publish()
    region.editor = make_user("editor_a")
    give_role(region.editor, Role.EDITOR, website=region.site_a)
    region.reviewer = make_user("reviewer_a")
    give_role(region.reviewer, Role.REVIEWER, website=region.site_a)
    region.secrecy = make_user("secrecy_a")
    give_role(region.secrecy, Role.SECRECY_REVIEWER, website=region.site_a)
    return region


def give_totp_device(user):  # noqa: ANN001, ANN201
    """The user's confirmed TOTP device (手机令牌), created when missing; `.bin_key` computes codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="手机令牌", confirmed=True)


def one_time_code(user) -> str:  # noqa: ANN001
    """A fresh recovery code for `user`, good for one second step (a TOTP code cannot be used twice in
    the same 30 seconds, and tests log the same account in more often than that)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    give_totp_device(user)
    device, _ = StaticDevice.objects.get_or_create(user=user, name="恢复码", defaults={"confirmed": True})
    return device.token_set.create(token=StaticToken.random_token()).token


def mark_session_verified(client, user) -> None:  # noqa: ANN001
    """Mark `client`'s session as having passed the second factor with the user's TOTP device."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = give_totp_device(user).persistent_id
    session.save()


def force_login_verified(client, user, backend: str | None = None) -> None:  # noqa: ANN001
    """Log `client` in as `user` with both factors done (password and TOTP), as after the real login.

    The test suite's conftest makes this what `Client.force_login` does, so that tests about other things
    reach the admin; tests of the login steps themselves post to the login pages.
    """
    _plain_force_login(client, user, backend)
    mark_session_verified(client, user)


def _plain_force_login(client, user, backend: str | None = None) -> None:  # noqa: ANN001
    from django.test import Client

    getattr(Client.force_login, "__wrapped__", Client.force_login)(client, user, backend)


def client_for(user):  # noqa: ANN001, ANN201
    """A test client logged in as `user`, second factor done."""
    from django.test import Client

    client = Client()
    force_login_verified(client, user)
    return client


def browser_login(page, base: str, username: str, password: str, *, code: str | None = None) -> None:  # noqa: ANN001
    """Log in through the real admin login in a Playwright page: password, then the second step with
    `code` (default: a fresh recovery code of the account), ending on the admin home."""
    import re

    from django.contrib.auth import get_user_model

    if code is None:
        code = one_time_code(get_user_model().objects.get(username=username))
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/security/verify/"), timeout=15_000)
    page.fill("input[name=token]", code)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"), timeout=15_000)
