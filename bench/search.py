"""Latency of the Chinese full-text search (全文检索) on the configured database, at N items.

    DATABASE_URL=postgres://…/bench_search nice .venv/bin/python bench/search.py [--items 100000] [--repeat 5]
    nice .venv/bin/python bench/search.py --items 100000          # no DATABASE_URL: a fresh SQLite file

Loads N synthetic government-news items (titles and bodies written from a vocabulary of topics, organs and
the region's place names) into one hosted site, then runs a fixed set of queries (two-character words,
place names, long phrases, several words) `--repeat` times each and prints p50/p95 latency.

The items are written in bulk (page rows and item rows inserted directly, with treebeard paths computed
here; Wagtail's page creation would take hours at 1,000,000), but they are real ``ArticlePage`` rows of a
real hosted site, indexed by the search backend's own ``add_items`` (the same jieba segmentation and the
same index tables), and every query goes through ``govsite.search.selectors.search`` like the results page
and the API: scope, ranking, ``count()``, the first page of ten, and the snippets of that page.

The database named by DATABASE_URL is migrated and its earlier bench items are replaced; use a database
of its own. `--reuse` keeps the items already loaded when their number matches.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_SLUG = "bench-search"
COLUMNS = 10
BATCH = 2000
SITE_CODE = "9990000001"

PLACES = [
    "示范自治区", "甲市", "乙市", "丙市", "丁市", "图木舒克市", "乌拉特前旗", "沙湾镇", "额敏县", "阿拉山口市",
    "青山区", "红星乡", "金川县", "白杨镇", "东湖区", "西岭县", "南关街道", "北塔镇", "石河子市", "博乐市",
]
ORGANS = [
    "人民政府", "人民政府办公厅", "发展和改革委员会", "教育厅", "公安局", "财政局", "人力资源和社会保障局",
    "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局", "商务局", "文化和旅游局",
    "卫生健康委员会", "应急管理局", "市场监督管理局", "统计局", "医疗保障局", "政务服务管理局",
]
TOPICS = [
    "政府网站集约化", "优化营商环境", "乡村振兴", "安全生产", "政务服务“一网通办”", "政府信息公开",
    "防汛抗旱", "生态环境保护", "食品安全监督抽检", "数字政府建设", "春耕生产", "森林草原防火", "义务教育",
    "医疗保障", "就业创业", "招商引资", "城乡规划", "交通运输", "文化旅游", "民族团结进步",
    "高标准农田建设", "老旧小区改造", "河湖长制", "稳岗就业", "政务公开标准化规范化",
]
TITLE_FORMS = [
    "{place}召开{topic}工作会议", "{place}{organ}部署{topic}工作", "{place}推进{topic}取得新成效",
    "关于做好{topic}工作的通知", "{place}{organ}关于{topic}的公告", "{place}开展{topic}专项检查",
    "{topic}座谈会在{place}召开", "{place}印发{topic}实施方案", "{place}{organ}2025年{topic}工作总结",
]
SENTENCES = [
    "会议强调，要坚持以人民为中心的发展思想，扎实推进{topic}各项工作。",
    "{place}{organ}主要负责同志出席会议并讲话，对下一阶段{topic}工作作出安排部署。",
    "各地各部门要压实责任，细化措施，确保{topic}任务按期完成。",
    "截至目前，{place}已累计完成投资{num}亿元，惠及群众{num}万人。",
    "下一步，{place}将持续深化“放管服”改革，加快数字政府建设，提升政务服务水平。",
    "会议要求，要加强政府信息公开，及时回应社会关切，主动接受群众监督。",
    "{organ}将会同有关部门开展督导检查，对工作推进不力的单位进行通报。",
    "{place}围绕{topic}，建立健全长效机制，推动工作常态化、制度化。",
    "全年共受理群众诉求{num}件，办结率达到百分之九十八。",
    "通知指出，各单位要于{num}月底前将工作开展情况报送{place}{organ}。",
]
QUERIES = [
    # two-character words inside longer words
    "网站", "公开", "政府", "环境", "安全", "教育", "防汛", "就业", "振兴",
    # place names of the user dictionary
    "甲市", "图木舒克", "乌拉特前旗", "沙湾镇", "阿拉山口市", "南关街道",
    # long phrases
    "政府网站集约化", "优化营商环境", "食品安全监督抽检", "高标准农田建设",
    # several words
    "营商环境 座谈会", "乡村振兴 甲市", "政务服务 一网通办", "安全生产 专项检查", "森林草原防火 通知",
    "政府信息公开 年度", "春耕 图木舒克", "老旧小区改造 实施方案",
]


def title_and_body(rng: random.Random) -> tuple[str, str, str]:
    place, organ, topic = rng.choice(PLACES), rng.choice(ORGANS), rng.choice(TOPICS)
    title = rng.choice(TITLE_FORMS).format(place=place, organ=organ, topic=topic)
    paragraphs = []
    for _ in range(rng.randint(2, 4)):
        sentences = [
            rng.choice(SENTENCES).format(
                place=rng.choice((place, rng.choice(PLACES))), organ=organ,
                topic=rng.choice((topic, rng.choice(TOPICS))), num=rng.randint(2, 300),
            )
            for _ in range(rng.randint(1, 3))
        ]
        paragraphs.append("<p>" + "".join(sentences) + "</p>")
    return title, "".join(paragraphs), place


def setup_django() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings.test")
    if not os.environ.get("DATABASE_URL"):
        workdir = tempfile.mkdtemp(prefix="govsite-bench-search-")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return connection.vendor


def bench_site():  # noqa: ANN201
    """The hosted site and its columns the items go into (created once per database)."""
    from govsite.content.models import ColumnPage
    from govsite.content.services import do_provision_hosted_site
    from govsite.core.access import SYSTEM
    from govsite.core.models import Region, Unit
    from govsite.registry.models import Website
    from govsite.testing import make_website

    website = Website.objects.filter(site_code=SITE_CODE).first()
    if website is None:
        region = Region.objects.create(code="999000", name="示范自治区", level=Region.Level.PROVINCE)
        for i, place in enumerate(PLACES[1:], start=1):
            Region.objects.create(code=f"999{i:03d}", name=place, level=Region.Level.COUNTY, parent=region)
        unit = Unit.objects.create(name="示范自治区人民政府", kind=Unit.Kind.GOVERNMENT, region=region)
        website = make_website(unit, site_code=SITE_CODE, name="示范自治区人民政府网", host="www.bench.gov.cn")
        do_provision_hosted_site(website, by=SYSTEM, is_default=True)
        website.refresh_from_db()
    home = website.wagtail_site.root_page.specific
    columns = list(ColumnPage.objects.child_of(home).filter(slug__startswith=BENCH_SLUG).order_by("path"))
    for i in range(len(columns), COLUMNS):
        column = home.add_child(instance=ColumnPage(title=f"栏目{i + 1}", slug=f"{BENCH_SLUG}-{i + 1}"))
        column.save_revision().publish()
        columns.append(column)
    return website, columns


def _path_step(n: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = alphabet[r] + out
    return out


def load_items(columns: list, total: int, seed: int) -> None:
    """Replace the columns' children with `total` live items, written and indexed in batches."""
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from govsite.content.models import ArticlePage
    from govsite.search.backend import IndexEntry

    backend = get_search_backend()
    index = backend.get_index_for_model(ArticlePage)
    article_ct = ContentType.objects.get_for_model(ArticlePage)
    for column in columns:  # earlier runs: index entries, item rows, page rows
        old = Page.objects.filter(path__startswith=column.path, depth=column.depth + 1)
        ids = [str(pk) for pk in old.values_list("pk", flat=True)]
        for start in range(0, len(ids), 5000):
            IndexEntry.objects.filter(content_type=article_ct, object_id__in=ids[start:start + 5000]).delete()
        ArticlePage.objects.filter(pk__in=old.values("pk"))._raw_delete(connection.alias)
        old._raw_delete(connection.alias)
    rng = random.Random(seed)
    now = timezone.now().replace(second=0, microsecond=0)
    locale_id = columns[0].locale_id
    per_column = [total // COLUMNS + (1 if i < total % COLUMNS else 0) for i in range(COLUMNS)]
    article_fields = ArticlePage._meta.local_concrete_fields
    started, done = time.perf_counter(), 0
    for column, count in zip(columns, per_column, strict=True):
        for start in range(0, count, BATCH):
            pages, items = [], []
            for n in range(start, min(count, start + BATCH)):
                title, body, _place = title_and_body(rng)
                published = now - timedelta(minutes=rng.randint(1, 5 * 365 * 24 * 60))
                slug = f"item-{n + 1}"
                pages.append(Page(
                    title=title, draft_title=title, slug=slug, content_type=article_ct, live=True,
                    path=column.path + _path_step(n + 1), depth=column.depth + 1, numchild=0,
                    url_path=f"{column.url_path}{slug}/", first_published_at=published,
                    last_published_at=published, locale_id=locale_id, translation_key=uuid.uuid4(),
                ))
                items.append((title, body, published))
            with transaction.atomic():
                Page.objects.bulk_create(pages)
                objs = []
                for page, (title, body, published) in zip(pages, items, strict=True):
                    obj = ArticlePage(page_ptr_id=page.pk, title=title, published_at=published, body=body)
                    obj.__dict__.update({f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields})
                    objs.append(obj)
                ArticlePage._base_manager._insert(objs, fields=article_fields, using=connection.alias)
                index.add_items(ArticlePage, objs)
            done += len(pages)
            print(f"\r    {done:,}/{total:,} items loaded and indexed ({time.perf_counter() - started:.0f} s)",
                  end="", flush=True)
        Page.objects.filter(pk=column.pk).update(numchild=count)
    print()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def run_queries(repeat: int) -> list[tuple[str, list[float], int]]:
    from govsite.search.selectors import PAGE_SIZE, hits, search, searchable_sites

    sites = searchable_sites()
    timings = []
    for query in QUERIES:  # one warm-up round, not counted
        results = search(query, sites)
        results.count()
        hits(list(results[:PAGE_SIZE]), query, sites)
    for query in QUERIES:
        seconds, cpu, total = [], [], 0
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            sites = searchable_sites()
            results = search(query, sites)
            total = results.count()
            hits(list(results[:PAGE_SIZE]), query, sites)
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        timings.append((query, seconds, cpu, total))
    return timings


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000, help="items to load (default 100000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query (default 5)")
    parser.add_argument("--seed", type=int, default=1952)
    parser.add_argument("--reuse", action="store_true", help="keep the loaded items if their number matches")
    options = parser.parse_args()

    vendor = setup_django()
    from govsite.content.models import ArticlePage

    website, columns = bench_site()
    loaded = ArticlePage.objects.filter(path__startswith=website.wagtail_site.root_page.path).count()
    print(f"database: {vendor}; items wanted: {options.items:,}; loaded: {loaded:,}")
    if not (options.reuse and loaded == options.items):
        started = time.perf_counter()
        load_items(columns, options.items, options.seed)
        print(f"    loaded in {time.perf_counter() - started:.0f} s")

    timings = run_queries(options.repeat)
    every = [s for _q, seconds, _c, _t in timings for s in seconds]
    every_cpu = [s for _q, _s, cpu, _t in timings for s in cpu]
    print(f"{len(QUERIES)} queries × {options.repeat} runs (count + first page of 10 with snippets):")
    for query, seconds, _cpu, total in timings:
        print(f"    {query:<16} {total:>9,} hits   median {statistics.median(seconds) * 1000:7.1f} ms"
              f"   max {max(seconds) * 1000:7.1f} ms")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"p50 {percentile(every, 50) * 1000:.1f} ms   p95 {percentile(every, 95) * 1000:.1f} ms"
          f"   ({vendor}, {options.items:,} items; wall-clock, load average {load:.1f} on {os.cpu_count()} CPUs)")
    # On a shared machine wall-clock includes waiting for a CPU; this process's own CPU time does not
    # (it leaves out the PostgreSQL server's work, which runs in another process).
    print(f"p50 {percentile(every_cpu, 50) * 1000:.1f} ms   p95 {percentile(every_cpu, 95) * 1000:.1f} ms"
          "   (CPU time of this process)")


if __name__ == "__main__":
    main()
