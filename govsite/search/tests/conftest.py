"""Fixtures of the search tests: the mini region with a few published items on two hosted sites."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govsite.content.services import do_provision_hosted_site
from govsite.content.tests.builders import add_article, add_column
from govsite.core.access import SYSTEM
from govsite.testing import build_mini_region

PORTAL = "www.sf.gov.cn"
SITE_A = "www.jia.gov.cn"
SITE_B = "www.yi.gov.cn"


@pytest.fixture
def region(db):  # noqa: ANN001, ANN201
    region = build_mini_region(hosted=False)
    for website, is_default in ((region.portal, True), (region.site_a, False), (region.site_b, False)):
        do_provision_hosted_site(website, by=SYSTEM, is_default=is_default)
        website.refresh_from_db()
    now = timezone.now().replace(second=0, microsecond=0)
    region.now = now
    home_a = region.site_a.wagtail_site.root_page.specific
    home_b = region.site_b.wagtail_site.root_page.specific
    region.news_a = add_column(home_a, "要闻动态", slug="news")
    region.notices_a = add_column(home_a, "通知公告", slug="notices")
    region.news_b = add_column(home_b, "要闻动态", slug="news")
    region.intensive = add_article(
        region.news_a, "甲市召开工作会议", published_at=now - timedelta(days=3),
        body="<p>会议要求推进政府网站集约化建设，统一信息资源库。</p>",
    )
    region.disclosure = add_article(
        region.notices_a, "关于做好年度报告工作的通知", published_at=now - timedelta(days=1),
        body="<p>各单位要做好政府信息公开年度报告的编制。</p>",
    )
    region.other_site = add_article(
        region.news_b, "乙市推进政府网站集约化", published_at=now - timedelta(days=2),
        body="<p>乙市全面完成网站整合。</p>",
    )
    return region
