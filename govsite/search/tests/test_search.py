"""中文全文检索: recall of words inside longer phrases, ranking, filters, scope, snippets (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from govsite.content.models import ArticlePage
from govsite.content.tests.builders import add_article
from govsite.core.models import Region
from govsite.registry.models import WebsiteStatus
from govsite.search.backend import IndexEntry, count_matches
from govsite.search.segment import segment_for_index
from govsite.search.selectors import SearchFilters, search, searchable_sites, shown_total

# Each test provisions three hosted sites and publishes pages through the compliance guard (3–4 s).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def titles(query: str, filters: SearchFilters | None = None, *, sites=None) -> list[str]:  # noqa: ANN001
    return [page.title for page in search(query, sites if sites is not None else searchable_sites(), filters)]


def test_two_character_word_inside_a_longer_phrase_is_found(region) -> None:  # noqa: ANN001
    for word in ("网站", "集约", "政府", "集约化"):
        assert "甲市召开工作会议" in titles(word), word
    assert "关于做好年度报告工作的通知" in titles("公开")  # 公开 inside 政府信息公开


def test_multi_word_query_needs_every_word(region) -> None:  # noqa: ANN001
    assert titles("网站 资源库") == ["甲市召开工作会议"]
    assert titles("网站 年度报告") == []


def test_place_name_of_the_user_dictionary_is_one_word(region) -> None:  # noqa: ANN001
    Region.objects.create(code="990103", name="图木舒克市", level=Region.Level.COUNTY, parent=region.prefecture_a)
    assert "图木舒克市" in segment_for_index("图木舒克市召开会议").split()
    add_article(region.news_a, "图木舒克市召开会议", body="<p>会议部署春耕。</p>")
    assert titles("图木舒克") == ["图木舒克市召开会议"]


def test_title_match_ranks_above_a_newer_body_match(region) -> None:  # noqa: ANN001
    now = region.now
    add_article(region.news_a, "优化营商环境座谈会", published_at=now - timedelta(days=30), body="<p>座谈。</p>")
    add_article(region.news_a, "常务会议", published_at=now - timedelta(hours=1), body="<p>研究优化营商环境。</p>")
    assert titles("营商环境") == ["优化营商环境座谈会", "常务会议"]


def test_newer_ranks_above_older_among_equals(region) -> None:  # noqa: ANN001
    now = region.now
    add_article(region.news_a, "防汛工作部署（一）", published_at=now - timedelta(days=9))
    add_article(region.news_a, "防汛工作部署（三）", published_at=now - timedelta(days=1))
    add_article(region.news_a, "防汛工作部署（二）", published_at=now - timedelta(days=5))
    assert titles("防汛") == ["防汛工作部署（三）", "防汛工作部署（二）", "防汛工作部署（一）"]


def test_filters_by_site_column_type_and_date(region) -> None:  # noqa: ANN001
    sites = searchable_sites()
    site_a = next(s for s in sites if s.site_code == region.site_a.site_code)
    assert set(titles("网站")) == {"甲市召开工作会议", "乙市推进政府网站集约化"}
    assert titles("网站", SearchFilters(site=site_a)) == ["甲市召开工作会议"]
    assert titles("政府", SearchFilters(column=region.notices_a)) == ["关于做好年度报告工作的通知"]
    assert set(titles("政府", SearchFilters(model=ArticlePage))) == {
        "甲市召开工作会议", "关于做好年度报告工作的通知", "乙市推进政府网站集约化"}
    day = timezone.localtime(region.now).date()
    assert titles("政府", SearchFilters(date_from=day - timedelta(days=2), date_to=day - timedelta(days=2))) == [
        "乙市推进政府网站集约化"]
    assert titles("政府", SearchFilters(date_from=day - timedelta(days=1))) == ["关于做好年度报告工作的通知"]


def test_a_site_search_shows_only_its_own_site(region) -> None:  # noqa: ANN001
    own = searchable_sites(only=region.site_a.wagtail_site)
    assert [s.site_code for s in own] == [region.site_a.site_code]
    assert titles("网站", sites=own) == ["甲市召开工作会议"]


def test_drafts_private_and_unpublished_pages_are_never_found(region) -> None:  # noqa: ANN001
    draft = region.news_a.add_child(instance=ArticlePage(title="草稿：网站改版方案", slug="draft",
                                                         published_at=region.now, body="<p>网站改版。</p>", live=False))
    draft.save_revision()
    private = add_article(region.news_b, "内部：网站安全通报", body="<p>网站安全。</p>")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    gone = add_article(region.news_a, "已撤稿的网站通知", body="<p>撤稿。</p>")
    gone.unpublish()
    found = titles("网站")
    assert "草稿：网站改版方案" not in found
    assert "内部：网站安全通报" not in found
    assert "已撤稿的网站通知" not in found
    # they are in the index (Wagtail indexes every saved page): the scope, not the index, keeps them out
    assert {"草稿：网站改版方案", "内部：网站安全通报"} <= {p.title for p in ArticlePage.objects.search("网站")}


def test_a_site_closed_to_the_public_is_not_searched(region) -> None:  # noqa: ANN001
    region.site_b.status = WebsiteStatus.SUSPENDED
    region.site_b.save()
    assert titles("网站") == ["甲市召开工作会议"]


def test_an_edit_published_again_is_searched_as_published(region) -> None:  # noqa: ANN001
    page = region.intensive
    page.title = "甲市部署防汛抗旱"
    page.save_revision().publish()
    assert "甲市部署防汛抗旱" in titles("防汛")
    assert "甲市召开工作会议" not in titles("会议")


def test_wagtail_admin_page_search_segments_chinese(region) -> None:  # noqa: ANN001
    assert "乙市推进政府网站集约化" in [p.title for p in Page.objects.search("集约")]
    assert list(Page.objects.search("，。")) == []


def test_the_admin_page_search_counts_hits_per_page_type(region, client) -> None:  # noqa: ANN001
    # Wagtail's admin page search facets the results by page type (an unsliced search underneath).
    from django.contrib.contenttypes.models import ContentType

    facets = Page.objects.search("网站").facet("content_type_id")
    assert facets == {ContentType.objects.get_for_model(ArticlePage).pk: 2}
    admin = get_user_model().objects.create_superuser("root", password="x" * 12)
    client.force_login(admin)
    response = client.get("/admin/pages/search/", {"q": "集约"})
    assert response.status_code == 200 and "乙市推进政府网站集约化" in response.content.decode()


def test_update_index_rebuilds_the_segmented_index(region) -> None:  # noqa: ANN001
    IndexEntry.objects.all().delete()
    assert titles("网站") == []
    call_command("update_index", verbosity=0)
    assert set(titles("网站")) == {"甲市召开工作会议", "乙市推进政府网站集约化"}
    assert titles("公开") == ["关于做好年度报告工作的通知"]


def _mixed_hits(region) -> tuple[list[str], list[str]]:  # noqa: ANN001
    """Five title hits and five body-only hits of 防汛, dates interleaved (body hits newer than some titles)."""
    title_hits, body_hits = [], []
    for n in range(5):
        title_hits.append(add_article(region.news_a, f"防汛工作第{n}次部署", published_at=region.now - timedelta(days=10 + 2 * n),
                                      body="<p>会议研究了有关事项。</p>").title)
        body_hits.append(add_article(region.news_a, f"工作简报第{n}期", published_at=region.now - timedelta(days=9 + 2 * n),
                                     body="<p>做好防汛准备。</p>").title)
    return title_hits, body_hits


def test_title_hits_come_first_across_page_boundaries(region) -> None:  # noqa: ANN001
    title_hits, body_hits = _mixed_hits(region)
    expected = title_hits + body_hits  # each part newest first: they were made newest first
    results = search("防汛", searchable_sites())
    assert results.count() == 10
    for size in (1, 3, 4, 5, 6, 7, 10):
        pages = [[p.title for p in results[start:start + size]] for start in range(0, 10, size)]
        assert [t for page in pages for t in page] == expected, size
    assert [p.title for p in results[4:6]] == [title_hits[4], body_hits[0]]
    assert [p.title for p in results[7:]] == body_hits[2:]
    assert list(results[10:20]) == []


def test_equal_dates_order_by_higher_id(region) -> None:  # noqa: ANN001
    same = region.now - timedelta(days=5)
    first = add_article(region.news_a, "防汛值班安排", published_at=same, body="<p>安排。</p>")
    second = add_article(region.news_a, "防汛物资调配", published_at=same, body="<p>调配。</p>")
    assert titles("防汛") == [second.title, first.title]


def test_filters_apply_to_title_and_body_hits(region) -> None:  # noqa: ANN001
    _mixed_hits(region)
    add_article(region.notices_a, "防汛通知", published_at=region.now - timedelta(days=30), body="<p>通知。</p>")
    add_article(region.news_b, "乙市防汛", published_at=region.now, body="<p>乙市。</p>")
    sites = searchable_sites()
    in_notices = SearchFilters(column=region.notices_a)
    assert [p.title for p in search("防汛", sites, in_notices)[0:10]] == ["防汛通知"]
    site_b = next(s for s in sites if s.site_code == region.site_b.site_code)
    assert [p.title for p in search("防汛", sites, SearchFilters(site=site_b))[0:10]] == ["乙市防汛"]
    early = SearchFilters(date_to=timezone.localtime(region.now - timedelta(days=17)).date())
    got = [p.title for p in search("防汛", sites, early)[0:10]]
    assert got == ["防汛工作第4次部署", "防汛通知", "工作简报第4期"]
    assert search("防汛", sites, early).count() == 3


def test_a_count_past_the_limit_says_more_than(region) -> None:  # noqa: ANN001
    _mixed_hits(region)
    results = search("防汛", searchable_sites())
    compiler = results.query_compiler
    matches = compiler.matches(compiler.get_config(results.backend))
    assert count_matches(compiler.queryset, matches[1], limit=4) == 5  # "more than 4"
    assert count_matches(compiler.queryset, matches[1], limit=10) == 10
    assert shown_total(results) == (10, True)



def test_both_reads_of_the_matches_agree_beside_an_entry_with_a_text_key(region) -> None:  # noqa: ANN001
    """The two ways ``ranked`` reads matches (ids of the index, or a probe per item newest first) find the
    same items; an index entry whose key is not an integer (another model's) is stored and never matches."""
    from django.contrib.contenttypes.models import ContentType

    from govsite.registry.models import Website

    title_hits, body_hits = _mixed_hits(region)
    IndexEntry.objects.create(content_type=ContentType.objects.get_for_model(Website), object_id="site-a",
                              title="防汛", body="防汛", autocomplete="防汛")
    results = search("防汛", searchable_sites())
    compiler = results.query_compiler
    title, any_ = compiler.matches(compiler.get_config(results.backend))
    items = compiler.queryset.order_by("-published_at")
    for matches, expected in ((title, title_hits), (any_, title_hits + body_hits)):
        probed = [p.title for p in items.filter(matches.exists())]
        listed = [p.title for p in items.filter(pk__in=matches.ids())]
        assert sorted(probed) == sorted(listed) == sorted(expected)
    assert [p.title for p in results[0:10]] == title_hits + body_hits
