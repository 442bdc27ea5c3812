"""The demo's 政府信息公开 column: a real-shaped 指南 and 制度, a few items in some Art 20 categories (with 形成日期,
one of them published after its due date, so 主动公开时限 has something to show) and one annual report. Every
item is published: the demo's tests hold that no demo item is a draft.

Provisioning has built the empty structure (content/disclosure_site.py); this fills it, idempotently.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from wagtail.models import Page, Revision

from govsite.content.disclosure_site import ogi_root
from govsite.content.models import ArticlePage, ColumnPage, keeping_original_published_at
from govsite.core.workdays import add_workdays
from govsite.registry.models import Website

GUIDE = """<h2>一、总则</h2>
<p>为了保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国政府信息公开条例》，编制本指南。需要获得{unit}政府信息公开服务的公民、法人和其他组织，建议阅读本指南。</p>
<h2>二、主动公开</h2>
<h3>（一）公开范围与分类</h3>
<p>本机关主动公开《条例》第二十条、第二十一条规定的政府信息，按“政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报”编排；法定主动公开内容按机构职能、法规文件、规划信息、统计信息、财政预决算等类目分类。</p>
<h3>（二）编排体系</h3>
<p>每条政府信息设有索引号、信息名称、发布机构、主题分类、体裁、成文日期、发布日期等目录项。索引号由机关代码和“年份-顺序号”组成。</p>
<h3>（三）获取方式</h3>
<p>可通过本网站“政府信息公开”栏目按主题、机构、年份和体裁检索、查阅和下载，也可到政府信息公开查阅场所查阅。属于主动公开范围的信息，自形成或者变更之日起20个工作日内予以公开。</p>
<h2>三、依申请公开</h2>
<p>公民、法人或者其他组织可以向本机关申请获取相关政府信息，申请应当采用书面形式（包括数据电文形式）。</p>
<h2>四、政府信息公开工作机构</h2>
<table><caption>政府信息公开工作机构</caption><tbody>
<tr><th scope="row">名称</th><td>{unit}政府信息公开办公室</td></tr>
<tr><th scope="row">办公地址</th><td>{address}</td></tr>
<tr><th scope="row">办公时间</th><td>周一至周五（法定节假日除外）上午9:00—12:00，下午13:30—17:30</td></tr>
<tr><th scope="row">联系电话</th><td>{phone}</td></tr>
<tr><th scope="row">传真</th><td>{fax}</td></tr>
<tr><th scope="row">互联网联系方式</th><td>{url}</td></tr>
</tbody></table>
<h2>五、监督和救济</h2>
<p>公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。</p>
"""

RULES = """<p>为规范本机关政府信息公开工作，建立健全以下制度：</p>
<ol>
<li>政府信息公开审查制度：拟公开的政府信息经起草部门审核、保密审查后公开，不得公开涉及国家秘密的信息。</li>
<li>政府信息主动公开制度：属于主动公开范围的信息，自形成或者变更之日起20个工作日内公开。</li>
<li>依申请公开工作制度：收到申请后能够当场答复的当场答复，不能当场答复的自收到申请之日起20个工作日内答复。</li>
<li>政府信息公开工作考核、社会评议和责任追究制度。</li>
<li>政府信息公开工作年度报告制度：每年1月31日前公布上一年度政府信息公开工作年度报告。</li>
</ol>
"""

# (category slug, title, topic code, genre code, working days from formation to publication)
ITEMS = (
    ("jgzn", "{unit}主要职责和内设机构", "01", "", 3),
    ("fgwj", "{unit}关于进一步规范行政规范性文件管理的通知", "01", "notice", 8),
    ("ghxx", "{unit}国民经济和社会发展第十五个五年规划纲要", "02", "", 12),
    ("tjxx", "{unit}2026年前三季度国民经济运行情况", "02", "", 5),
    ("czyjs", "{unit}2026年部门预算公开说明", "03", "", 24),  # published after its due date: 逾期公开
    ("zfcg", "{unit}2026年政府集中采购目录及标准", "03", "notice", 10),
    ("gwyzk", "{unit}2026年度考试录用公务员拟录用人员公示", "01", "announcement", 6),
)


def _add_item(column: ColumnPage, slug: str, title: str, *, topic: str, genre: str, formed: date,
              published: datetime | None, organ: str) -> None:
    if Page.objects.child_of(column).filter(slug=slug).exists():
        return
    item = column.add_child(instance=ArticlePage(
        title=title, slug=slug, live=False, issuing_organ=organ[:100], topic=topic, genre=genre, formed_at=formed,
        written_date=formed, summary=title[:300], source=organ[:100], published_at=published or timezone.now(),
        body=f"<p>{title}。</p><p>现予公开。</p>", first_published_at=published))
    revision = item.save_revision()
    if published is not None:
        with keeping_original_published_at():  # demo history, as the demo's other items
            revision.publish()
        # As if published then, like the demo's other items (demo/services.py `_publish`).
        Page.objects.filter(pk=item.pk).update(last_published_at=published, latest_revision_created_at=published)
        Revision.objects.filter(pk=revision.pk).update(created_at=published)


def _set_text(column: ColumnPage, body: str) -> None:
    if column.body:
        return
    column.body = body
    column.save_revision().publish()


def fill_disclosure_column(website: Website, home: Page, *, now: datetime) -> int:
    """Fill the site's 政府信息公开 column once; returns how many items it added."""
    root = ogi_root(home)
    if root is None:
        return 0
    columns = {c.slug: c for c in ColumnPage.objects.descendant_of(root).specific()}
    unit = website.owner_unit.name
    _set_text(columns["xxgkzn"], GUIDE.format(
        unit=unit, address=website.address or f"{website.owner_unit.region.name}人民路1号",
        phone=website.contact_phone or "0990-1234567", fax=website.contact_phone or "0990-1234568",
        url=website.homepage_url))
    _set_text(columns["xxgkzd"], RULES)
    before = ArticlePage.objects.descendant_of(root).count()
    today = timezone.localdate(now)
    for index, (slug, title, topic, genre, days) in enumerate(ITEMS):
        if slug not in columns:
            continue
        formed = today - timedelta(days=40 + 9 * index)
        published = add_workdays(formed, days)
        when = timezone.make_aware(datetime(published.year, published.month, published.day, 10, 0))
        _add_item(columns[slug], f"{slug}-001", title.format(unit=unit), topic=topic, genre=genre, formed=formed,
                  published=min(when, now), organ=unit)
    report_year = today.year - 1
    _add_item(columns["xxgknb"], f"nb-{report_year}", f"{unit}{report_year}年政府信息公开工作年度报告",
              topic="01", genre="report", formed=date(today.year, 1, 20),
              published=min(timezone.make_aware(datetime(today.year, 1, 28, 10, 0)), now), organ=unit)
    return ArticlePage.objects.descendant_of(root).count() - before
