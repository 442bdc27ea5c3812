"""The 主办单位 filter as a searchable tree: the units a user may see, in their hierarchy, narrowed by typing."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from govsite.core.models import Role, Unit
from govsite.core.unit_tree import INDENT, search_text, tree_order
from govsite.testing import client_for, give_role, make_user

pytestmark = pytest.mark.django_db


class _Options(HTMLParser):
    """The options of the select named ``unit``, and the search box's label."""

    def __init__(self) -> None:
        super().__init__()
        self.options: list[dict] = []
        self.labels: dict[str, str] = {}
        self._in_unit = self._option = self._label = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag == "select":
            self._in_unit = values.get("name") == "unit"
        elif tag == "option" and self._in_unit:
            self._option = {**values, "text": ""}
            self.options.append(self._option)
        elif tag == "label":
            self._label = values.get("for")
            self.labels[self._label] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._in_unit = False
        elif tag == "option":
            self._option = None
        elif tag == "label":
            self._label = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data
        if self._label:
            self.labels[self._label] += data.strip()


def rendered(client: Client, url: str) -> _Options:
    response = client.get(url)
    assert response.status_code == 200
    parser = _Options()
    parser.feed(response.content.decode())
    return parser



def depth_and_name(options: _Options) -> list[tuple[int, str]]:
    result = []
    for option in options.options[1:]:
        text = option["text"]
        stripped = text.lstrip(INDENT)
        result.append((len(text) - len(stripped), stripped))
    return result


@pytest.fixture
def region(mini_region):  # noqa: ANN001, ANN201
    r = mini_region
    r.finance_a = Unit.objects.create(name="甲市财政局", kind=Unit.Kind.DEPARTMENT, region=r.prefecture_a, parent=r.gov_a)
    r.finance_a1 = Unit.objects.create(name="甲一县财政局", kind=Unit.Kind.DEPARTMENT, region=r.county_a1,
                                       parent=r.gov_a1)
    r.admin = make_user("admin_t", is_superuser=True, is_staff=True)
    r.sup_a = make_user("sup_a_t")
    give_role(r.sup_a, Role.SUPERVISOR, unit=r.gov_a)
    r.editor_a1 = make_user("editor_a1_t")
    give_role(r.editor_a1, Role.EDITOR, website=r.site_a1)
    return r


@pytest.mark.parametrize("page", ["registry:index", "monitoring:dashboard"])
def test_a_prefecture_supervisor_sees_their_subtree_indented(region, page: str) -> None:  # noqa: ANN001
    options = rendered(client_for(region.sup_a), reverse(page))
    assert options.options[0]["text"] == "全部单位" and options.options[0]["value"] == ""
    assert depth_and_name(options) == [
        (0, "甲市人民政府"), (1, "甲一县人民政府"), (2, "甲一县财政局"), (1, "甲市财政局"),
    ]
    by_name = {o["text"].strip(INDENT): o for o in options.options[1:]}
    assert by_name["甲一县财政局"]["data-parent"] == str(region.gov_a1.pk)
    assert by_name["甲市人民政府"]["data-parent"] == ""
    assert "乙市" not in "".join(o["text"] for o in options.options)


def test_the_platform_admin_sees_the_whole_tree_from_the_region_down(region) -> None:  # noqa: ANN001
    pairs = depth_and_name(rendered(client_for(region.admin), reverse("registry:index")))
    assert pairs[:2] == [(0, "示范自治区人民政府"), (1, "甲市人民政府")]
    assert (1, "乙市人民政府") in pairs and (2, "甲一县人民政府") in pairs
    assert len(pairs) == Unit.objects.count()


def test_a_site_role_sees_only_its_sites_owner(region) -> None:  # noqa: ANN001
    assert depth_and_name(rendered(client_for(region.editor_a1), reverse("registry:index"))) == [
        (0, "甲一县人民政府")]


def test_the_search_box_is_labelled_and_tied_to_the_select(region) -> None:  # noqa: ANN001
    client = client_for(region.sup_a)
    html = client.get(reverse("registry:index")).content.decode()
    options = rendered(client, reverse("registry:index"))
    assert options.labels["id_unit"] == "主办单位（含下级）"
    assert options.labels["id_unit-search"] == "输入名称或拼音筛选单位"
    assert re.search(r'<input type="search" id="id_unit-search"[^>]*aria-controls="id_unit"', html)
    assert "govsite/unit-tree-select.js" in html


def test_options_carry_names_division_and_pinyin_for_the_search(region) -> None:  # noqa: ANN001
    text = search_text(region.finance_a1)
    assert "甲一县财政局" in text and "甲一县" in text
    assert "jiayixiancaizhengju" in text and "jyxczj" in text


def test_a_name_shared_within_the_choices_shows_its_division(region) -> None:  # noqa: ANN001
    Unit.objects.create(name="财政局", kind=Unit.Kind.DEPARTMENT, region=region.prefecture_a, parent=region.gov_a)
    Unit.objects.create(name="财政局", kind=Unit.Kind.DEPARTMENT, region=region.county_a1, parent=region.gov_a1)
    names = [name for _depth, name in depth_and_name(rendered(client_for(region.sup_a), reverse("registry:index")))]
    assert "财政局（甲市）" in names and "财政局（甲一县）" in names


def test_tree_order_puts_children_under_their_parent_whatever_the_ids(region) -> None:  # noqa: ANN001
    late_parent = Unit.objects.create(name="甲市新区管委会", kind=Unit.Kind.GOVERNMENT, region=region.prefecture_a,
                                      parent=region.gov_a)
    child = Unit.objects.create(name="新区办", kind=Unit.Kind.DEPARTMENT, region=region.prefecture_a,
                                parent=late_parent)
    units = list(Unit.objects.filter(pk__in=[child.pk, region.gov_a.pk, late_parent.pk, region.finance_a.pk]))
    ordered = [(unit.name, depth) for unit, depth, _parent in tree_order(units)]
    assert ordered == [("甲市人民政府", 0), ("甲市财政局", 1), ("甲市新区管委会", 1), ("新区办", 2)]


def test_choosing_a_unit_filters_the_list_to_its_subtree(region) -> None:  # noqa: ANN001
    response = client_for(region.sup_a).get(reverse("registry:index"), {"unit": region.gov_a1.pk})
    assert [w.site_code for w in response.context["websites"]] == [region.site_a1.site_code]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_typing_narrows_the_tree_and_the_keyboard_picks_and_submits(live_server) -> None:  # noqa: ANN001
    from govsite.content.tests.test_accessibility import chromium
    from govsite.testing import build_mini_region

    r = build_mini_region(hosted=False)
    Unit.objects.create(name="甲一县财政局", kind=Unit.Kind.DEPARTMENT, region=r.county_a1, parent=r.gov_a1)
    Unit.objects.create(name="甲市财政局", kind=Unit.Kind.DEPARTMENT, region=r.prefecture_a, parent=r.gov_a)
    supervisor = make_user("tree_sup")
    give_role(supervisor, Role.SUPERVISOR, unit=r.gov_a)
    client = client_for(supervisor)
    session = client.cookies["sessionid"].value

    with chromium() as browser:
        context = browser.new_context(locale="zh-CN")
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.goto(live_server.url + reverse("registry:index"))
        search = page.get_by_label("输入名称或拼音筛选单位")
        search.fill("jyx")  # 甲一县 by its pinyin initials

        def shown() -> list[str]:
            return [t.strip("\u3000") for t in page.locator("#id_unit option").all_inner_texts()]

        assert shown() == ["全部单位", "甲市人民政府", "甲一县人民政府", "甲一县财政局"]
        assert page.locator("#id_unit-count").inner_text() == "找到 2 个单位"
        search.fill("财政")
        assert shown() == ["全部单位", "甲市人民政府", "甲一县人民政府", "甲一县财政局", "甲市财政局"]
        search.fill("jiayixian")
        search.press("Enter")  # picks the first match and moves to the list
        assert page.evaluate("document.activeElement.id") == "id_unit"
        assert page.locator("#id_unit").input_value() == str(r.gov_a1.pk)
        page.get_by_role("button", name="筛选").click()
        page.wait_for_load_state()
        assert f"unit={r.gov_a1.pk}" in page.url
        assert page.locator("table.listing tbody tr").count() == 1
        search = page.get_by_label("输入名称或拼音筛选单位")
        search.fill("")
        assert len(shown()) == 5 and page.locator("#id_unit").input_value() == str(r.gov_a1.pk)
        context.close()
