"""A mini region with enough sites to sample: department sites at province and county level, supervisors."""

from __future__ import annotations

from datetime import date

from govsite.core.models import Role, Unit
from govsite.registry.models import WebsiteKind, WebsiteStatus
from govsite.testing import build_mini_region, give_role, make_user
from govsite.testing.factories import MiniRegion, make_website

AS_OF = date(2026, 11, 26)


def sampled_region() -> MiniRegion:
    """build_mini_region(hosted=False) plus 10 province department sites, 6 county department sites, one closed
    site (never sampled) and supervisors of 甲市 (`sup_a`), 乙市 (`sup_b`) and 甲一县 (`sup_a1`)."""
    r = build_mini_region(hosted=False)
    for i in range(10):
        make_website(r.dept_edu, site_code=f"99000{i + 10:05d}", name=f"自治区部门网站{i}", host=f"d{i}.sf.gov.cn",
                     kind=WebsiteKind.DEPARTMENT)
    r.county_dept = Unit.objects.create(name="甲一县教育局", kind=Unit.Kind.DEPARTMENT, region=r.county_a1,
                                        parent=r.gov_a1)
    for i in range(6):
        make_website(r.county_dept, site_code=f"99010{i + 20:05d}", name=f"甲一县部门网站{i}",
                     host=f"c{i}.jiayi.gov.cn", kind=WebsiteKind.DEPARTMENT)
    make_website(r.county_dept, site_code="9901000099", name="已关停网站", host="closed.jiayi.gov.cn",
                 kind=WebsiteKind.DEPARTMENT, status=WebsiteStatus.OFFLINE)
    r.sup_a = make_user("sup_a")
    give_role(r.sup_a, Role.SUPERVISOR, unit=r.gov_a)
    r.sup_b = make_user("sup_b")
    give_role(r.sup_b, Role.SUPERVISOR, unit=r.gov_b)
    r.sup_a1 = make_user("sup_a1")
    give_role(r.sup_a1, Role.SUPERVISOR, unit=r.gov_a1)
    r.sup = make_user("sup_province")
    give_role(r.sup, Role.SUPERVISOR, unit=r.gov)
    return r
