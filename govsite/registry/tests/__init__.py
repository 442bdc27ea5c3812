"""Helpers for the registry tests: valid registration data and the people who act on it."""

from __future__ import annotations

import datetime
from typing import Any

from govsite.core.models import Region, Role, Unit
from govsite.registry.models import Website, WebsiteKind
from govsite.testing import give_role, make_user

PASSWORD = "Test-pass-2026!"


def site_data(owner: Unit, **overrides: Any) -> dict[str, Any]:
    """Data for a department site of ``owner`` that satisfies every rule (under 甲市's portal domain)."""
    data = {
        "site_code": f"{owner.region.code}0101",
        "name": f"{owner.name}网站",
        "kind": WebsiteKind.DEPARTMENT,
        "owner_unit": owner,
        "supervising_unit": owner,
        "homepage_url": "https://jyj.jia.gov.cn/",
        "icp_number": "示ICP备00000009号",
        "police_record_number": "示公网安备 99010002000009号",
        "party_gov_mark": "9901000009",
        "contact_name": "张三",
        "contact_phone": "0990-7654321",
        "contact_email": "web@jyj.jia.gov.cn",
        "address": "甲市人民路 1 号",
    }
    data.update(overrides)
    return data


def supervisor_of(unit: Unit, username: str | None = None):  # noqa: ANN201
    user = make_user(username)
    give_role(user, Role.SUPERVISOR, unit=unit)
    return user


def platform_admin(username: str | None = None):  # noqa: ANN201
    # A superuser rather than the platform-admin role: both count as platform administrators in access.py.
    return make_user(username, is_superuser=True, is_staff=True)


def site_user(role: str, website: Website, username: str | None = None):  # noqa: ANN201
    user = make_user(username)
    give_role(user, role, website=website)
    return user


def department(parent: Unit, name: str, region: Region | None = None) -> Unit:
    return Unit.objects.create(name=name, kind=Unit.Kind.DEPARTMENT, region=region or parent.region, parent=parent)


def township(county_gov: Unit, code: str = "990150", name: str = "甲一县城关镇") -> Unit:
    region = Region.objects.create(code=code, name=name, level=Region.Level.TOWNSHIP, parent=county_gov.region)
    return Unit.objects.create(name=f"{name}人民政府", kind=Unit.Kind.GOVERNMENT, region=region, parent=county_gov)


YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)
