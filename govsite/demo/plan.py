"""What the demo region consists of, worked out without touching the database.

`plan_geography()` lays out regions and units; `plan_registry()` decides, for a registry size, which
websites exist, in which state, with which identifiers. Both are pure functions of their arguments, so
running the demo twice plans the same thing and the builders only create what is missing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import data
from .data import HOSTED_SITES, PREFECTURES, HostedSiteData

GOVERNMENT = "government"
DEPARTMENT = "department"
INSTITUTION = "institution"

PORTAL = "portal"
DEPARTMENT_SITE = "department"

RUNNING = "running"
PLANNING = "planning"
OFFLINE = "offline"
MERGED = "merged"


def round_half_up(value: float) -> int:
    return int(value + 0.5)


def seeded(seed: int, *parts: object) -> random.Random:
    """A random generator of its own for one object, so that its values do not depend on what else is built."""
    return random.Random(":".join([str(seed), *map(str, parts)]))


# ---------------------------------------------------------------------------------------------------------
# Geography: regions and units
# ---------------------------------------------------------------------------------------------------------

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_code(rng: random.Random, region_code: str, *, institution: bool = False) -> str:
    """统一社会信用代码 (GB 32100) with valid check characters: 11 = 机关, 12 = 事业单位."""
    digits = [rng.randrange(10) for _ in range(8)]
    org_check = 11 - sum(d * w for d, w in zip(digits, _ORG_WEIGHTS, strict=True)) % 11
    org = "".join(map(str, digits)) + {10: "X", 11: "0"}.get(org_check, str(org_check))
    body = ("12" if institution else "11") + region_code + org
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return body + _CREDIT_CHARS[(31 - total % 31) % 31]


@dataclass(frozen=True)
class RegionPlan:
    code: str
    name: str
    level: str  # core.models.Region.Level value
    parent: str | None
    pinyin: str


@dataclass(frozen=True)
class UnitPlan:
    key: str
    name: str
    short_name: str
    kind: str
    region: str
    parent: str | None
    label: str = ""  # host label of its department site
    administrative_functions: bool = True
    domains: tuple[str, ...] = ()
    head_title: str = ""


@dataclass
class Geography:
    regions: list[RegionPlan] = field(default_factory=list)
    units: list[UnitPlan] = field(default_factory=list)
    region_by_code: dict[str, RegionPlan] = field(default_factory=dict)
    unit_by_key: dict[str, UnitPlan] = field(default_factory=dict)
    prefecture_of: dict[str, int] = field(default_factory=dict)  # region code → index into PREFECTURES
    counties_of: dict[int, list[str]] = field(default_factory=dict)  # prefecture index → county codes
    townships_of: dict[str, list[str]] = field(default_factory=dict)  # county code → township codes

    def add_region(self, region: RegionPlan) -> None:
        if region.code in self.region_by_code:
            raise ValueError(f"duplicate division code {region.code}")
        self.regions.append(region)
        self.region_by_code[region.code] = region

    def add_unit(self, unit: UnitPlan) -> None:
        if unit.key in self.unit_by_key:
            raise ValueError(f"duplicate unit {unit.key}")
        self.units.append(unit)
        self.unit_by_key[unit.key] = unit

    def domain(self, code: str) -> str:
        """The registrable domain of a region's government: shifan.gov.cn, qinglan.gov.cn …"""
        return f"{self.region_by_code[code].pinyin}.gov.cn"


def gov_key(code: str) -> str:
    return f"gov:{code}"


def dept_key(code: str, label: str) -> str:
    return f"dept:{code}:{label}"


def inst_key(code: str) -> str:
    return f"inst:{code}"


# Counties number their codes from 02 (区), 21 (县) and 81 (县级市) as real ones do and use a handful of each;
# townships take 40–79 of their prefecture, which no demo county reaches.
TOWNSHIP_FIRST, TOWNSHIP_LAST = 40, 79


def office_label(code: str) -> str:
    return "bgt" if code == data.REGION_CODE else "bgs"


def plan_geography() -> Geography:
    """The fixed tree: 示范自治区, 14 prefectures, 56 counties, their townships and units."""
    geo = Geography()
    top = data.REGION_CODE
    geo.add_region(RegionPlan(top, data.REGION_NAME, "province", None, data.REGION_PINYIN))
    geo.add_unit(UnitPlan(gov_key(top), f"{data.REGION_NAME}人民政府", "自治区人民政府", GOVERNMENT, top, None,
                          head_title="主席"))
    for dept in data.REGIONAL_DEPARTMENTS:
        geo.add_unit(UnitPlan(dept_key(top, dept.label), f"{data.REGION_NAME}{dept.suffix}", dept.suffix, DEPARTMENT,
                              top, gov_key(top), dept.label, domains=dept.domains, head_title=dept.head_title))
    geo.add_unit(UnitPlan(inst_key(top), f"{data.REGION_NAME}电子政务中心", "电子政务中心", INSTITUTION, top,
                          dept_key(top, "bgt"), administrative_functions=False))

    county_index = 0
    for p_index, pref in enumerate(PREFECTURES):
        p_code = f"99{p_index + 1:02d}00"
        geo.add_region(RegionPlan(p_code, pref.name, "prefecture", top, pref.pinyin))
        geo.prefecture_of[p_code] = p_index
        is_district = pref.kind == "地区"
        gov_name = f"{pref.name}行政公署" if is_district else f"{pref.name}人民政府"
        geo.add_unit(UnitPlan(gov_key(p_code), gov_name, f"{pref.name[:2]}行署" if is_district else f"{pref.name}政府",
                              GOVERNMENT, p_code, gov_key(top), head_title="专员" if is_district else "市长"))
        for dept in data.PREFECTURE_DEPARTMENTS:
            name = f"{gov_name}办公室" if dept.label == "bgs" else f"{pref.name}{dept.suffix}"
            geo.add_unit(UnitPlan(dept_key(p_code, dept.label), name, dept.suffix, DEPARTMENT, p_code, gov_key(p_code),
                                  dept.label, domains=dept.domains, head_title=dept.head_title))
        geo.add_unit(UnitPlan(inst_key(p_code), f"{pref.name}大数据服务中心", "大数据服务中心", INSTITUTION, p_code,
                              dept_key(p_code, "bgs"), administrative_functions=False))

        numbers = {"区": 2, "县": 21, "市": 81}
        township_number = TOWNSHIP_FIRST
        geo.counties_of[p_index] = []
        for stem, pinyin, suffix in pref.counties:
            c_code = f"{p_code[:4]}{numbers[suffix]:02d}"
            numbers[suffix] += 1
            c_name = f"{stem}{suffix}"
            geo.add_region(RegionPlan(c_code, c_name, "county", p_code, pinyin))
            geo.prefecture_of[c_code] = p_index
            geo.counties_of[p_index].append(c_code)
            geo.add_unit(UnitPlan(gov_key(c_code), f"{c_name}人民政府", f"{c_name}政府", GOVERNMENT, c_code,
                                  gov_key(p_code), head_title="区长" if suffix == "区" else f"{suffix}长"))
            for dept in data.COUNTY_DEPARTMENTS:
                geo.add_unit(UnitPlan(dept_key(c_code, dept.label), f"{c_name}{dept.suffix}", dept.suffix, DEPARTMENT,
                                      c_code, gov_key(c_code), dept.label, domains=dept.domains))
            geo.add_unit(UnitPlan(inst_key(c_code), f"{c_name}融媒体中心", "融媒体中心", INSTITUTION, c_code,
                                  gov_key(c_code), administrative_functions=False))
            geo.townships_of[c_code] = []
            for k in range(3 + county_index % 4):
                if township_number > TOWNSHIP_LAST:
                    break
                t_stem, t_pinyin, t_suffix = data.TOWNSHIP_STEMS[(county_index * 5 + k) % len(data.TOWNSHIP_STEMS)]
                t_code = f"{p_code[:4]}{township_number}"
                township_number += 1
                t_name = f"{t_stem}{t_suffix}"
                geo.add_region(RegionPlan(t_code, t_name, "township", c_code, t_pinyin))
                geo.prefecture_of[t_code] = p_index
                geo.townships_of[c_code].append(t_code)
                geo.add_unit(UnitPlan(gov_key(t_code), f"{t_name}人民政府", f"{t_name}政府", GOVERNMENT, t_code,
                                      gov_key(c_code), head_title=f"{t_suffix}长"))
            county_index += 1
    return geo


# ---------------------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteSlot:
    """A website that may exist in the demo registry, before its state is decided."""

    code: str
    name: str
    kind: str
    owner: str
    host: str
    hosted: HostedSiteData | None = None
    merge_chance: float = 0.0
    merge_targets: tuple[str, ...] = ()  # owner keys whose running site would absorb this one, best first
    rule: str = ""  # the rule that made it go, for the closing record
    special: bool = False  # a 专项/专题 site for a campaign that has ended


@dataclass
class SitePlan:
    slot: SiteSlot
    status: str
    registered: date
    live: date | None
    supervising: str
    operator: str | None
    icp: str
    police: str
    mark: str
    contact_name: str
    contact_phone: str
    contact_email: str
    address: str
    protection_level: int | None
    assessment_date: date | None
    assessment_result: str
    live_document: str = ""
    tests: list[tuple[date, str, str, bool, str]] = field(default_factory=list)  # date, tester, no., passed, notes
    ended: date | None = None
    end_document: str = ""
    end_reason: str = ""
    merged_into: str | None = None  # site code

    @property
    def code(self) -> str:
        return self.slot.code


@dataclass(frozen=True)
class Shape:
    total: int
    running: int
    other: int
    historical: int


@dataclass
class RegistryPlan:
    shape: Shape
    sites: list[SitePlan]
    hosted: list[SitePlan]

    def by_code(self) -> dict[str, SitePlan]:
        return {site.code: site for site in self.sites}


class PlanError(ValueError):
    """The requested registry cannot be planned (too small or too large)."""


def active_slots(geo: Geography) -> list[SiteSlot]:
    """Sites that may be running, in the order they are switched on as the registry grows: hosted sites,
    prefecture portals, then regional department sites and county portals alternately, then prefecture
    department sites."""
    top = data.REGION_CODE
    slots: list[SiteSlot] = []
    hosted_keys = set()

    def portal(code: str, hosted: HostedSiteData | None = None) -> SiteSlot:
        unit = geo.unit_by_key[gov_key(code)]
        return SiteSlot(f"{code}0001", f"{unit.name}网", PORTAL, unit.key, f"www.{geo.domain(code)}", hosted)

    def department_site(code: str, index: int, label: str, hosted: HostedSiteData | None = None) -> SiteSlot:
        unit = geo.unit_by_key[dept_key(code, label)]
        return SiteSlot(f"{code}{index + 1:04d}", f"{unit.name}网站", DEPARTMENT_SITE, unit.key,
                        f"{label}.{geo.domain(code)}", hosted)

    regional_index = {dept.label: i for i, dept in enumerate(data.REGIONAL_DEPARTMENTS)}
    for hosted in HOSTED_SITES:
        if hosted.level == "region":
            slots.append(portal(top, hosted))
        elif hosted.level == "prefecture":
            assert hosted.prefecture is not None
            slots.append(portal(f"99{hosted.prefecture + 1:02d}00", hosted))
        else:
            assert hosted.department is not None
            slots.append(department_site(top, regional_index[hosted.department], hosted.department, hosted))
        hosted_keys.add(slots[-1].owner)

    for p_index in range(len(PREFECTURES)):
        if gov_key(f"99{p_index + 1:02d}00") not in hosted_keys:
            slots.append(portal(f"99{p_index + 1:02d}00"))

    regional = [
        department_site(top, i, dept.label)
        for i, dept in enumerate(data.REGIONAL_DEPARTMENTS)
        if dept.label not in ("bgt", data.PLANNING_DEPARTMENT_LABEL) and dept_key(top, dept.label) not in hosted_keys
    ]
    counties = [portal(code) for p_index in range(len(PREFECTURES)) for code in geo.counties_of[p_index]]
    for i in range(max(len(regional), len(counties))):
        slots.extend(group[i] for group in (regional, counties) if i < len(group))

    for i, dept in enumerate(data.PREFECTURE_DEPARTMENTS):
        if dept.label == "bgs":
            continue
        for p_index in range(len(PREFECTURES)):
            slots.append(department_site(f"99{p_index + 1:02d}00", i, dept.label))
    return slots


def planning_slot(geo: Geography) -> SiteSlot:
    top = data.REGION_CODE
    index = [d.label for d in data.REGIONAL_DEPARTMENTS].index(data.PLANNING_DEPARTMENT_LABEL)
    unit = geo.unit_by_key[dept_key(top, data.PLANNING_DEPARTMENT_LABEL)]
    return SiteSlot(f"{top}{index + 1:04d}", f"{unit.name}网站", DEPARTMENT_SITE, unit.key,
                    f"{data.PLANNING_DEPARTMENT_LABEL}.{geo.domain(top)}")


def _department_stem(suffix: str) -> str:
    for ending in ("委员会", "局"):
        if suffix.endswith(ending):
            return suffix[: -len(ending)]
    return suffix


def historical_slots(geo: Geography, seed: int) -> list[SiteSlot]:
    """Every site that used to exist and was taken offline or merged, in a fixed order with fixed codes."""
    counters: dict[str, int] = {}
    hosts: set[str] = set()
    slots: list[SiteSlot] = []
    top = data.REGION_CODE

    def add(region: str, name: str, kind: str, owner: str, host: str, chance: float,
            targets: tuple[str, ...], rule: str = "") -> None:
        counters[region] = counters.get(region, 99) + 1
        base, n = host, 2
        while host in hosts:
            label, rest = base.split(".", 1)
            host, n = f"{label}{n}.{rest}", n + 1
        hosts.add(host)
        special = name.endswith("专题网")
        slots.append(SiteSlot(f"{region}{counters[region]:04d}", name, kind, owner, host, merge_chance=chance,
                              merge_targets=targets, rule=rule or ("专项工作原则上不单独开设网站" if special else ""),
                              special=special))

    for p_index, pref in enumerate(PREFECTURES):
        p_code = f"99{p_index + 1:02d}00"
        p_domain = geo.domain(p_code)
        for c_code in geo.counties_of[p_index]:
            county = geo.region_by_code[c_code]
            c_domain = geo.domain(c_code)
            up = (gov_key(c_code), gov_key(p_code), gov_key(top))
            for dept in data.COUNTY_DEPARTMENTS[1:]:
                add(c_code, f"{county.name}{dept.suffix}网站", DEPARTMENT_SITE, dept_key(c_code, dept.label),
                    f"{dept.label}.{c_domain}", 0.5, up, "县级政府部门原则上不单独开设网站")
            for t_code in geo.townships_of[c_code]:
                town = geo.region_by_code[t_code]
                add(t_code, f"{town.name}人民政府网站", PORTAL, gov_key(t_code), f"{town.pinyin}.{c_domain}",
                    0.45, up, "乡镇政府原则上不单独开设网站")
            rng = seeded(seed, "side", c_code)
            for side, label, chance in rng.sample(data.GOVERNMENT_SIDE_SITES, 6):
                add(c_code, f"{county.name}{side}", PORTAL, gov_key(c_code), f"{label}.{c_domain}", chance, up)
        for dept in data.PREFECTURE_DEPARTMENTS[1:]:
            key = dept_key(p_code, dept.label)
            add(p_code, f"{pref.name}{_department_stem(dept.suffix)}信息网", DEPARTMENT_SITE, key,
                f"xxw.{dept.label}.{p_domain}", 0.6, (key, gov_key(p_code), gov_key(top)),
                "一个单位原则上最多开设一个网站")
        rng = seeded(seed, "side", p_code)
        for side, label, chance in rng.sample(data.GOVERNMENT_SIDE_SITES, 8):
            add(p_code, f"{pref.name}{side}", PORTAL, gov_key(p_code), f"{label}.{p_domain}", chance,
                (gov_key(p_code), gov_key(top)))
    for dept in data.REGIONAL_DEPARTMENTS:
        key = dept_key(top, dept.label)
        for name, label in dept.subsites:
            add(top, f"{data.REGION_NAME}{name}", DEPARTMENT_SITE, key, f"{label}.{dept.label}.{geo.domain(top)}",
                0.6, (key, gov_key(top)), "一个单位原则上最多开设一个网站")
    for side, label, chance in data.GOVERNMENT_SIDE_SITES:
        if label != "wmcj":
            add(top, f"{data.REGION_NAME}{side}", PORTAL, gov_key(top), f"{label}.{geo.domain(top)}", chance,
                (gov_key(top),))
    return slots


def registry_shape(total: int, *, max_active: int, max_historical: int) -> Shape:
    """Split a registry size the way the 2017 report split 1952: 176 running, 1 other (here 筹建), the rest gone.

    The running share never drops below the hosted sites, so small demos keep all of them.
    """
    minimum = len(HOSTED_SITES) + 1
    if total < minimum:
        raise PlanError(f"--registry-size 至少为 {minimum}：演示需要 {len(HOSTED_SITES)} 个运行中的托管网站和 1 个筹建网站。")
    shape = _split(total, max_active)
    if shape.historical > max_historical:
        largest = next(t for t in range(total, minimum - 1, -1) if _split(t, max_active).historical <= max_historical)
        raise PlanError(f"--registry-size 最大为 {largest}：演示区划的机构不足以登记更多网站。")
    return shape


def _split(total: int, max_active: int) -> Shape:
    # The report's "other" site is one in 1952; below about 2900 sites that rounds to the one 筹建 site.
    running = min(max(len(HOSTED_SITES), round_half_up(total * data.REPORT_RUNNING / data.REPORT_TOTAL)), max_active)
    return Shape(total, running, data.REPORT_OTHER, total - running - data.REPORT_OTHER)


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _doc(prefix: str, year: int, number: int) -> str:
    return f"{prefix}〔{year}〕{number}号"


def _office_doc_prefix(geo: Geography, region_code: str) -> str:
    """文号 prefix of the government office that decides on a site's closure."""
    if region_code == data.REGION_CODE:
        return "示政办函"
    pref = PREFECTURES[geo.prefecture_of[region_code]]
    return f"{pref.doc_char}行署办函" if pref.kind == "地区" else f"{pref.doc_char}政办函"


def _police_district(geo: Geography, region_code: str) -> str:
    """公安备案 is filed where the server sits: the capital district for regional and prefecture sites."""
    region = geo.region_by_code[region_code]
    if region.level in ("county", "township"):
        return region_code
    p_index = 0 if region.level == "province" else geo.prefecture_of[region_code]
    return geo.counties_of[p_index][0]


def _person(rng: random.Random) -> str:
    return rng.choice(data.SURNAMES) + rng.choice(data.GIVEN_NAMES)


def _supervising(geo: Geography, owner: str) -> str:
    """主管单位: the office (办公厅/办公室) of the government at the owner's level; townships: their county's."""
    unit = geo.unit_by_key[owner]
    region = geo.region_by_code[unit.region]
    code = region.parent if region.level == "township" and region.parent else unit.region
    return dept_key(code, office_label(code))


def _operator(geo: Geography, site: SiteSlot) -> str | None:
    """承办单位: hosted sites are run by the regional e-government centre, others by their own level's centre."""
    region = geo.region_by_code[geo.unit_by_key[site.owner].region]
    if site.hosted or region.level == "province":
        return inst_key(data.REGION_CODE)
    if region.level == "township":
        return inst_key(region.parent) if region.parent else None
    return inst_key(region.code)


def _details(geo: Geography, slot: SiteSlot, seed: int, registered: date, live: date | None) -> SitePlan:
    rng = seeded(seed, "site", slot.code)
    region_code = geo.unit_by_key[slot.owner].region
    pref_index = geo.prefecture_of.get(region_code)
    place = data.REGION_NAME + (PREFECTURES[pref_index].name if pref_index is not None else "")
    region = geo.region_by_code[region_code]
    if region.level in ("county", "township"):
        place += geo.region_by_code[region_code if region.level == "county" else region.parent or ""].name
    host = slot.host.removeprefix("www.")
    return SitePlan(
        slot=slot,
        status=RUNNING,
        registered=registered,
        live=live,
        supervising=_supervising(geo, slot.owner),
        operator=_operator(geo, slot),
        icp=f"示ICP备{registered.year % 100:02d}{rng.randrange(1, 999999):06d}号",
        police=f"示公网安备 {_police_district(geo, region_code)}02{rng.randrange(1, 999999):06d}号",
        mark=f"{slot.code[:4]}{rng.randrange(10**6):06d}",
        contact_name=_person(rng),
        contact_phone=f"{data.AREA_CODE}-{rng.randrange(2, 9)}{rng.randrange(10**6):06d}",
        contact_email=f"webmaster@{host}",
        address=f"{place}{rng.choice(data.STREETS)}{rng.randrange(1, 300)}号",
        protection_level=None,
        assessment_date=None,
        assessment_result="",
    )


def _security_test(rng: random.Random, on: date, *, passed: bool = True, notes: str = "") -> tuple:
    tester = rng.choice(data.SECURITY_TESTERS)
    number = f"SFCP-{on.year}-{rng.randrange(1, 9999):04d}"
    return (on, tester, number, passed, notes or ("上线前安全检测，未发现高危漏洞。" if passed else "存在高危漏洞，需整改后复测。"))


def plan_registry(geo: Geography, total: int, *, seed: int, today: date) -> RegistryPlan:
    """Decide every registry entry for a registry of `total` websites."""
    actives = active_slots(geo)
    history = historical_slots(geo, seed)
    shape = registry_shape(total, max_active=len(actives), max_historical=len(history))
    sites: list[SitePlan] = []
    running_by_owner: dict[str, SiteSlot] = {}

    for slot in actives[: shape.running]:
        rng = seeded(seed, "active", slot.code)
        is_portal = slot.kind == PORTAL
        registered = _random_date(rng, date(2006, 3, 1) if is_portal else date(2009, 1, 1), date(2015, 6, 30))
        live = registered + timedelta(days=rng.randrange(30, 90))
        site = _details(geo, slot, seed, registered, live)
        site.live_document = _doc("示政办函", live.year, rng.randrange(3, 180))
        site.protection_level = 3 if (is_portal or slot.hosted) else rng.choice((2, 2, 3))
        site.assessment_date = today - timedelta(days=rng.randrange(30, 330))
        site.assessment_result = rng.choice(("good", "good", "fair", "fair", "medium"))
        site.tests.append(_security_test(rng, live - timedelta(days=rng.randrange(3, 20))))
        site.tests.append(_security_test(rng, today - timedelta(days=rng.randrange(10, 300)),
                                         notes="年度安全检测，未发现高危漏洞。"))
        running_by_owner[slot.owner] = slot
        sites.append(site)

    rng = seeded(seed, "planning")
    slot = planning_slot(geo)
    registered = today - timedelta(days=45)
    site = _details(geo, slot, seed, registered, None)
    site.status = PLANNING
    site.protection_level = 3
    site.live_document = _doc("示政办函", registered.year, rng.randrange(3, 180))
    sites.append(site)

    rng = random.Random(seed)
    chosen = rng.sample(range(len(history)), shape.historical)
    for index in sorted(chosen):
        slot = history[index]
        rng = seeded(seed, "history", slot.code)
        registered = _random_date(rng, date(2006, 1, 1), date(2014, 12, 31))
        live = registered + timedelta(days=rng.randrange(20, 90))
        site = _details(geo, slot, seed, registered, live)
        site.live_document = _doc("示政办函", live.year, rng.randrange(3, 180))
        site.tests.append(_security_test(rng, live - timedelta(days=rng.randrange(3, 15))))
        # Small sites were mostly graded level 2, township ones often only level 1; the last assessment
        # predates the closure.
        site.protection_level = 1 if slot.rule.startswith("乡镇") and rng.random() < 0.6 else 2
        site.assessment_date = _random_date(rng, max(live, date(2013, 1, 1)), date(2016, 1, 31))
        site.assessment_result = rng.choice(("fair", "medium", "medium", "poor"))
        site.ended = _random_date(rng, date(2016, 2, 1), date(2018, 12, 20))
        doc_rng = seeded(seed, "doc", _office_doc_prefix(geo, slot.code[:6]), site.ended.year)
        site.end_document = _doc(_office_doc_prefix(geo, slot.code[:6]), site.ended.year,
                                 rng.choice([doc_rng.randrange(5, 150) for _ in range(2)]))
        target = next((running_by_owner[key] for key in slot.merge_targets if key in running_by_owner), None)
        if target is not None and rng.random() < slot.merge_chance:
            site.status = MERGED
            site.merged_into = target.code
            reason = data.MERGE_RULE_REASON if slot.rule else rng.choice(data.MERGE_REASONS)
            site.end_reason = reason.format(target=target.name, code=target.code, rule=slot.rule)
        else:
            site.status = OFFLINE
            site.end_reason = (f"{slot.rule}，专项工作已结束，网站予以关停，历史信息已归档。" if slot.special
                               else rng.choice(data.OFFLINE_REASONS))
        sites.append(site)

    hosted = [site for site in sites if site.slot.hosted is not None]
    return RegistryPlan(shape, sites, hosted)
