"""The plan of the demo region, checked without a database: fixed tree, unique keys, report proportions."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from govsite.demo.data import DEFAULT_SEED, HOSTED_SITES
from govsite.demo.plan import PlanError, plan_geography, plan_registry, registry_shape
from govsite.demo.texts import WRITERS, Voice, write

TODAY = date(2026, 11, 26)


def test_geography_has_unique_codes_names_and_hosts() -> None:
    geo = plan_geography()
    assert len({r.code for r in geo.regions}) == len(geo.regions)
    assert all(r.code.startswith("99") and len(r.code) == 6 for r in geo.regions)
    assert len({(u.region, u.name) for u in geo.units}) == len(geo.units)
    labels = [r.pinyin for r in geo.regions if r.level in ("province", "prefecture", "county")]
    assert len(set(labels)) == len(labels), "portal host names must not collide"


@pytest.mark.parametrize("total", [7, 30, 60, 240, 1952])
def test_registry_plan_has_unique_codes_and_hosts(total: int) -> None:
    plan = plan_registry(plan_geography(), total, seed=DEFAULT_SEED, today=TODAY)
    assert len(plan.sites) == total
    assert len({s.code for s in plan.sites}) == total
    assert len({s.slot.host for s in plan.sites}) == total
    assert len(plan.hosted) == len(HOSTED_SITES)
    assert all(s.status == "running" for s in plan.hosted)


def test_report_size_splits_like_the_report() -> None:
    shape = registry_shape(1952, max_active=10_000, max_historical=10_000)
    assert (shape.running, shape.other, shape.historical) == (176, 1, 1775)


def test_default_size_keeps_the_proportions() -> None:
    plan = plan_registry(plan_geography(), 240, seed=DEFAULT_SEED, today=TODAY)
    statuses = Counter(s.status for s in plan.sites)
    assert statuses["running"] == 22 and statuses["planning"] == 1
    assert statuses["offline"] + statuses["merged"] == 217


def test_plan_is_deterministic_for_a_seed() -> None:
    first = plan_registry(plan_geography(), 240, seed=DEFAULT_SEED, today=TODAY)
    second = plan_registry(plan_geography(), 240, seed=DEFAULT_SEED, today=TODAY)
    assert [(s.code, s.status, s.merged_into, s.icp) for s in first.sites] == [
        (s.code, s.status, s.merged_into, s.icp) for s in second.sites]


def test_impossible_sizes_are_refused() -> None:
    with pytest.raises(PlanError):
        plan_registry(plan_geography(), 6, seed=DEFAULT_SEED, today=TODAY)
    with pytest.raises(PlanError):
        plan_registry(plan_geography(), 100_000, seed=DEFAULT_SEED, today=TODAY)


def test_every_writer_produces_title_summary_and_body() -> None:
    import random
    from datetime import datetime

    voice = Voice(
        site_name="示范自治区人民政府网", unit="示范自治区人民政府", region="示范自治区", here="自治区",
        gov="自治区人民政府", office="自治区人民政府办公厅", doc_prefix="示政", head_title="主席", head="苏望川",
        deputies=(("副主席", "林知远"), ("秘书长", "韩叙白")), subregions=("青岚市", "雁泽市"),
        addressee="各地（市）人民政府：", departments=(("edu", "自治区教育厅"), ("gov", "自治区人民政府办公厅")),
        mailbox="主席信箱", domains=(), is_department=False, newspaper="示范日报", local_news="地方动态",
        gov_docs="自治区政府文件", office_docs="自治区政府办公厅文件", special_title="", phone_prefix="0990",
        whole="全区", sub_term="各地（市）", domain="shifan.gov.cn",
    )
    for name in WRITERS:
        for month in (1, 6):
            article = write(name, random.Random(name), voice, datetime(2026, month, 12, 10, 0), 0)
            assert article.title and article.summary and article.source, name
            assert article.body.startswith("<") and "{" not in article.body + article.title, name
