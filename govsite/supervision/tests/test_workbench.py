"""The 工作台 shows open 整改工单 to those who handle them: the site's administrator and its supervisors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govsite.core.models import Role
from govsite.supervision.models import Ticket, TicketKind, TicketState
from govsite.testing import build_mini_region, client_for, give_role, make_user


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    return build_mini_region(hosted=False)


def test_open_tickets_are_on_the_workbench_of_who_handles_them(region) -> None:  # noqa: ANN001
    today = timezone.localdate()
    for website, title, deadline in ((region.site_a1, "甲一县失效链接整改", today - timedelta(days=3)),
                                     (region.site_b, "乙市首页整改", today + timedelta(days=9))):
        Ticket.objects.create(kind=TicketKind.FINDING, website=website, unit=website.owner_unit, title=title,
                              description="整改", deadline=deadline)
    Ticket.objects.create(kind=TicketKind.FINDING, website=region.site_a1, unit=region.gov_a1, title="已办结工单",
                          description="整改", deadline=today, state=TicketState.CLOSED)
    admin = make_user("admin_a1")
    give_role(admin, Role.SITE_ADMIN, website=region.site_a1)
    home = client_for(admin).get("/admin/").content.decode()
    assert "甲一县失效链接整改" in home and "已逾期" in home and "未办结 1 件，其中逾期 1 件" in home
    assert "乙市首页整改" not in home and "已办结工单" not in home
    supervisor = make_user("sup_a")
    give_role(supervisor, Role.SUPERVISOR, unit=region.gov_a)
    home = client_for(supervisor).get("/admin/").content.decode()
    assert "甲一县失效链接整改" in home and "乙市首页整改" not in home
    editor_b = make_user("admin_b")
    give_role(editor_b, Role.SITE_ADMIN, website=region.site_b)
    assert "甲一县失效链接整改" not in client_for(editor_b).get("/admin/").content.decode()
