"""分层抽样 of a spot-check campaign (抽查): strata by administrative level × website type, portals always in.

Reproducible: each stratum is sorted by 网站标识码 and drawn with its own `random.Random(f"{seed}:{key}")`, so the
same sites, ratio and seed give the same sample whatever order the database returns them in, and adding a site
to one stratum does not change the draw of another.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from govsite.registry.models import Website

LEVELS: dict[str, str] = {"province": "省级", "prefecture": "地级", "county": "县级", "township": "乡级"}
KINDS: dict[str, str] = {"portal": "政府门户网站", "department": "部门网站"}
LEVEL_ORDER = list(LEVELS)
KIND_ORDER = list(KINDS)
PORTAL = "portal"


def stratum_of(website: Website) -> tuple[str, str]:
    """(key, label) of a site's stratum, e.g. ("county:department", "县级·部门网站")."""
    level = website.owner_unit.region.level
    kind = website.kind
    label = f"{_(LEVELS.get(level, level))}·{_(KINDS.get(kind, kind))}"
    return f"{level}:{kind}", label


def stratum_label(key: str) -> str:
    """The Chinese label of a stratum key."""
    level, _sep, kind = key.partition(":")
    return f"{_(LEVELS.get(level, level))}·{_(KINDS.get(kind, kind))}"


def _order(key: str) -> tuple[int, int, str]:
    level, _sep, kind = key.partition(":")
    return (LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER),
            KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), key)


@dataclass
class Stratum:
    """One stratum: its sites (sorted by 网站标识码) and those drawn."""

    key: str
    label: str
    sites: list[Website] = field(default_factory=list)
    sampled: list[Website] = field(default_factory=list)

    @property
    def always(self) -> bool:
        """Portals are always sampled (门户网站全部抽查)."""
        return self.key.endswith(f":{PORTAL}")

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "population": len(self.sites), "sampled": len(self.sampled)}


@dataclass
class Sample:
    """The drawn sites in stratum order, each with its stratum key, and the per-stratum counts."""

    strata: list[Stratum]

    @property
    def sites(self) -> list[tuple[Website, str]]:
        return [(site, stratum.key) for stratum in self.strata for site in stratum.sampled]

    @property
    def counts(self) -> list[dict[str, Any]]:
        """What `Campaign.strata` stores: [{"key", "label", "population", "sampled"}]."""
        return [stratum.as_dict() for stratum in self.strata]

    def __len__(self) -> int:
        return sum(len(stratum.sampled) for stratum in self.strata)


def sample_size(population: int, ratio: Decimal | float | str) -> int:
    """ceil(ratio × population), at least 1 for a non-empty stratum, at most the population."""
    if population <= 0:
        return 0
    wanted = math.ceil(Decimal(str(ratio)) * population)
    return min(population, max(1, wanted))


def draw_sample(websites: Iterable[Website], ratio: Decimal | float | str, seed: int | str) -> Sample:
    """Stratify `websites` and draw from each stratum: every portal; ceil(ratio × size) of the others."""
    strata: dict[str, Stratum] = {}
    for website in websites:
        key, label = stratum_of(website)
        strata.setdefault(key, Stratum(key, label)).sites.append(website)
    ordered = [strata[key] for key in sorted(strata, key=_order)]
    for stratum in ordered:
        stratum.sites.sort(key=lambda site: site.site_code)
        if stratum.always:
            stratum.sampled = list(stratum.sites)
            continue
        size = sample_size(len(stratum.sites), ratio)
        chosen = random.Random(f"{seed}:{stratum.key}").sample(stratum.sites, size)
        stratum.sampled = sorted(chosen, key=lambda site: site.site_code)
    return Sample(ordered)
