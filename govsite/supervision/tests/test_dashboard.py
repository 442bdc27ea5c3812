"""监管总览: open tickets by age, 合格率 over campaigns, the worst units and what is overdue, per supervisor,
with its .xlsx export read back."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from govsite.core.models import Role
from govsite.core.workdays import add_workdays
from govsite.supervision.models import Campaign, CampaignSite, CampaignStatus, Ticket, TicketKind
from govsite.supervision.predictions import current_set
from govsite.testing import build_mini_region, client_for, give_role, make_user


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    region = build_mini_region(hosted=False)
    region.top = make_user("sup_top")
    give_role(region.top, Role.SUPERVISOR, unit=region.gov)
    region.sup_a = make_user("sup_a")
    give_role(region.sup_a, Role.SUPERVISOR, unit=region.gov_a)
    region.sup_b = make_user("sup_b")
    give_role(region.sup_b, Role.SUPERVISOR, unit=region.gov_b)
    return region


def campaign(region, unit, as_of: date, verdicts: dict) -> Campaign:  # noqa: ANN001
    item = Campaign.objects.create(
        name=f"{as_of:%Y年%m月}抽查", unit=unit, region=unit.region, period_start=as_of - timedelta(days=30),
        period_end=as_of, as_of=as_of, ratio=Decimal("0.34"), seed=1, indicator_set=current_set(),
        status=CampaignStatus.FINISHED)
    for website, verdict in verdicts.items():
        CampaignSite.objects.create(campaign=item, website=website, stratum="x", verdict=verdict,
                                    score=Decimal(90) if verdict == "pass" else Decimal(50))
    return item


def ticket(website, deadline: date, title: str) -> Ticket:  # noqa: ANN001
    return Ticket.objects.create(kind=TicketKind.FINDING, website=website, unit=website.owner_unit, title=title,
                                 description="整改", deadline=deadline)


def test_the_dashboard_shows_each_supervisor_their_own_subtree(region) -> None:  # noqa: ANN001
    today = date.today()
    campaign(region, region.gov, today - timedelta(days=90), {region.site_a: "pass", region.site_b: "fail"})
    campaign(region, region.gov, today - timedelta(days=1), {region.site_a: "pass", region.site_b: "pass"})
    campaign(region, region.gov_b, today, {region.site_b: "fail"})
    ticket(region.site_a1, add_workdays(today, -8), "甲一县逾期工单")
    ticket(region.site_a1, add_workdays(today, 5), "甲一县未到期工单")
    ticket(region.site_b, add_workdays(today, -20), "乙市逾期工单")

    top = client_for(region.top).get("/admin/supervision/")
    html = top.content.decode()
    assert top.status_code == 200
    assert "50.0%" in html and "100.0%" in html, "合格率 of the region's two campaigns"
    assert 'data-chart="pass-rate"' in html and 'data-chart="ticket-ages"' in html
    assert "甲一县逾期工单" in html and "乙市逾期工单" in html and "甲一县未到期工单" not in html
    assert "逾期 6–15 个工作日 1" in html and "逾期 15 个工作日以上 1" in html and "未到期 1" in html

    a = client_for(region.sup_a).get("/admin/supervision/").content.decode()
    assert "甲一县逾期工单" in a and "乙市逾期工单" not in a, "a prefecture sees its counties' tickets only"
    assert "暂无已完成的抽查" in a, "the region's campaigns are not the prefecture's"
    assert "乙市人民政府" not in a

    export = client_for(region.sup_a).get("/admin/supervision/export/")
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert book.sheetnames == ["逾期工单", "工单时长", "问题最多的单位", "历次抽查合格率"]
    rows = [[c.value for c in row] for row in book["逾期工单"].iter_rows(min_row=2)]
    assert [row[3] for row in rows if row[3]] == ["甲一县逾期工单"]
    units = [[c.value for c in row] for row in book["问题最多的单位"].iter_rows(min_row=2)]
    assert units[0][:3] == ["甲一县人民政府", 2, 1]


def test_site_staff_and_anonymous_do_not_get_the_dashboard(region, client) -> None:  # noqa: ANN001
    site_admin = make_user("admin_a1")
    give_role(site_admin, Role.SITE_ADMIN, website=region.site_a1)
    response = client_for(site_admin).get("/admin/supervision/")
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"
    assert client.get("/admin/supervision/").status_code == 302
    assert client_for(site_admin).get("/admin/supervision/export/").status_code in (302, 403)
