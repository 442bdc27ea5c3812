"""词库管理: which lists apply where, imports, history, and the admin pages scoped to the supervisor's regions."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govsite.checks import pagecheck, wordlists
from govsite.checks.models import EntryKind, LexiconChange, LexiconEntry
from govsite.content.models import ArticlePage, ColumnPage
from govsite.core.access import SYSTEM
from govsite.core.models import AuditLog, Role
from govsite.testing import client_for, give_role, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(mini_region):  # noqa: ANN001, ANN201
    mini_region.sup_a = make_user("sup_a")
    give_role(mini_region.sup_a, Role.SUPERVISOR, unit=mini_region.gov_a)
    mini_region.sup_b = make_user("sup_b")
    give_role(mini_region.sup_b, Role.SUPERVISOR, unit=mini_region.gov_b)
    mini_region.sup_all = make_user("sup_all")
    give_role(mini_region.sup_all, Role.SUPERVISOR, unit=mini_region.gov)
    mini_region.editor_a = make_user("editor_a")
    give_role(mini_region.editor_a, Role.EDITOR, website=mini_region.site_a)
    return mini_region



def url(name: str, *args: object) -> str:
    return reverse(f"checks:{name}", args=args)


def words(lexicon) -> dict[str, str]:  # noqa: ANN001
    return {w.term: w.severity for w in lexicon.sensitive_words}


def draft_article(website, body: str, title: str = "测试信息") -> ArticlePage:  # noqa: ANN001
    home = website.wagtail_site.root_page.specific
    column = home.add_child(instance=ColumnPage(title="工作动态", slug=f"news-{website.site_code}"))
    article = column.add_child(instance=ArticlePage(title=title, slug="article", body=body, live=False))
    article.save_revision()
    return article


def add(region, term: str, *, kind: str = EntryKind.SENSITIVE_WORD, by=SYSTEM, **values) -> LexiconEntry:  # noqa: ANN001
    return wordlists.do_add_entry(region, kind, term, by=by, **values)


# --- which lists apply where -------------------------------------------------------------------------------

def test_a_prefecture_entry_applies_to_its_counties_but_not_to_another_prefecture(region) -> None:
    add(region.prefecture_a, "甲市专用禁词")
    assert "甲市专用禁词" in words(wordlists.lexicon_for_region(region.prefecture_a))
    assert "甲市专用禁词" in words(wordlists.lexicon_for_region(region.county_a1))
    assert "甲市专用禁词" not in words(wordlists.lexicon_for_region(region.prefecture_b))
    assert "甲市专用禁词" not in words(wordlists.lexicon_for_region(region.province))


def test_a_region_wide_entry_applies_to_every_site(region) -> None:
    add(region.province, "全区禁词")
    for place in (region.province, region.prefecture_a, region.prefecture_b, region.county_a1):
        assert "全区禁词" in words(wordlists.lexicon_for_region(place))


def test_the_pages_of_a_site_use_the_list_of_the_owner_units_region(region) -> None:
    add(region.prefecture_a, "甲市专用禁词")
    county_page = draft_article(region.site_a1, "<p>这里有甲市专用禁词。</p>")
    other_page = draft_article(region.site_b, "<p>这里有甲市专用禁词。</p>")
    assert "甲市专用禁词" in words(wordlists.lexicon_for_page(county_page))
    assert "甲市专用禁词" not in words(wordlists.lexicon_for_page(other_page))
    assert [f.finding.text for f in pagecheck.check_page(county_page).blocks] == ["甲市专用禁词"]
    assert pagecheck.check_page(other_page).blocks == []


def test_the_lower_region_has_the_last_word_for_the_same_term(region) -> None:
    add(region.province, "可商榷词", severity="block")
    add(region.prefecture_a, "可商榷词", severity="warn")
    assert words(wordlists.lexicon_for_region(region.county_a1))["可商榷词"] == "warn"
    assert words(wordlists.lexicon_for_region(region.prefecture_b))["可商榷词"] == "block"


def test_protected_terms_and_typos_come_from_the_list_too(region) -> None:
    add(region.prefecture_a, "甲市人民政府办公室", kind=EntryKind.PROTECTED_TERM, category="单位全称")
    add(region.prefecture_a, "帐号", kind=EntryKind.TYPO, suggestion="账号")
    lexicon = wordlists.lexicon_for_region(region.county_a1)
    assert "甲市人民政府办公室" in {t.term for t in lexicon.protected_terms}
    assert ("帐号", "账号") in {(p.wrong, p.right) for p in lexicon.typo_pairs}


def test_a_deactivated_entry_stops_applying_at_once(region) -> None:
    entry = add(region.prefecture_a, "临时禁词")
    assert "临时禁词" in words(wordlists.lexicon_for_region(region.county_a1))
    wordlists.do_deactivate_entry(entry, by=SYSTEM)
    assert "临时禁词" not in words(wordlists.lexicon_for_region(region.county_a1))


def test_a_changed_entry_applies_at_once(region) -> None:
    entry = add(region.prefecture_a, "旧写法")
    wordlists.do_change_entry(entry, term="新写法", by=SYSTEM)
    lexicon = words(wordlists.lexicon_for_region(region.county_a1))
    assert "新写法" in lexicon and "旧写法" not in lexicon


# --- changes, history, audit ------------------------------------------------------------------------------

def test_each_change_is_kept_in_the_history_with_old_and_new_values(region) -> None:
    entry = add(region.prefecture_a, "某词", by=region.sup_a, category="政治")
    wordlists.do_change_entry(entry, category="赌博", severity="warn", by=region.sup_a, note="改为提示")
    wordlists.do_deactivate_entry(entry, by=region.sup_a, note="不再使用")
    changes = list(entry.changes.order_by("id"))
    assert [c.action for c in changes] == ["add", "change", "deactivate"]
    assert changes[0].old_values is None and changes[0].new_values["category"] == "政治"
    assert changes[1].old_values["category"] == "政治" and changes[1].new_values["category"] == "赌博"
    assert changes[1].new_values["severity"] == "warn" and changes[1].note == "改为提示"
    assert changes[2].old_values["active"] is True and changes[2].new_values["active"] is False
    assert {c.username for c in changes} == {"sup_a"}
    events = list(AuditLog.objects.filter(object_type="checks.LexiconEntry").values_list("event", flat=True))
    assert sorted(events) == ["checks.lexicon.add", "checks.lexicon.change", "checks.lexicon.deactivate"]


def test_the_history_cannot_be_changed_or_deleted(region) -> None:
    entry = add(region.prefecture_a, "某词")
    change = entry.changes.get()
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        LexiconChange.objects.filter(pk=change.pk).update(note="改")
    with pytest.raises(PermissionError):
        LexiconChange.objects.all().delete()


def test_adding_a_deactivated_term_again_switches_it_back_on(region) -> None:
    entry = add(region.prefecture_a, "某词")
    wordlists.do_deactivate_entry(entry, by=SYSTEM)
    again = add(region.prefecture_a, "某词", severity="warn")
    assert again.pk == entry.pk and again.active and again.severity == "warn"
    assert [c.action for c in entry.changes.order_by("id")] == ["add", "deactivate", "change"]


def test_a_duplicate_active_term_is_refused_in_chinese(region) -> None:
    add(region.prefecture_a, "某词")
    with pytest.raises(ValidationError, match="已在甲市的词库中"):
        add(region.prefecture_a, "某词")


def test_a_typo_needs_its_right_form(region) -> None:
    with pytest.raises(ValidationError, match="正确写法"):
        add(region.prefecture_a, "帐号", kind=EntryKind.TYPO)


def test_a_supervisor_cannot_change_the_list_of_another_prefecture_through_the_service(region) -> None:
    with pytest.raises(PermissionDenied):
        add(region.prefecture_b, "某词", by=region.sup_a)
    entry = add(region.province, "全区词")
    with pytest.raises(PermissionDenied):
        wordlists.do_change_entry(entry, category="x", by=region.sup_a)
    with pytest.raises(PermissionDenied):
        wordlists.do_deactivate_entry(entry, by=region.editor_a)


# --- import -----------------------------------------------------------------------------------------------

def test_import_adds_one_entry_per_line_and_skips_duplicates(region) -> None:
    add(region.prefecture_a, "已有词")
    text = "# 甲市敏感词\n违禁一,政治,block\n违禁二，赌博，warn\n\n已有词\n违禁一\n违禁三\n".encode()
    result = wordlists.do_import_entries(region.prefecture_a, EntryKind.SENSITIVE_WORD, io.BytesIO(text),
                                        by=region.sup_a)
    assert result.ok, result.errors
    assert (result.created, result.skipped) == (3, 2)
    entries = {e.term: e for e in LexiconEntry.objects.filter(region=region.prefecture_a)}
    assert entries["违禁二"].category == "赌博" and entries["违禁二"].severity == "warn"
    assert entries["违禁三"].category == "" and entries["违禁三"].severity == "block"
    assert LexiconChange.objects.filter(action="import").count() == 3
    assert AuditLog.objects.filter(event="checks.lexicon.import").count() == 1


def test_import_with_a_bad_line_imports_nothing_and_names_the_line(region) -> None:
    text = "违禁一,政治,block\n违禁二,赌博,很严重\n违禁三\n".encode()
    result = wordlists.do_import_entries(region.prefecture_a, EntryKind.SENSITIVE_WORD, io.BytesIO(text),
                                        by=region.sup_a)
    assert not result.ok
    assert len(result.errors) == 1 and result.errors[0].startswith("第 2 行")
    assert LexiconEntry.objects.count() == 0
    assert LexiconChange.objects.count() == 0


def test_import_of_typos_needs_both_forms(region) -> None:
    text = "帐号,账号\n按装\n".encode()
    result = wordlists.do_import_entries(region.prefecture_a, EntryKind.TYPO, io.BytesIO(text), by=region.sup_a)
    assert result.errors == ["第 2 行：易错词应写作“错误写法,正确写法”。"]
    assert LexiconEntry.objects.count() == 0


def test_import_reads_gbk_files_too(region) -> None:
    result = wordlists.do_import_entries(region.prefecture_a, EntryKind.TYPO, io.BytesIO("帐号,账号\n".encode("gbk")),
                                        by=region.sup_a)
    assert result.ok and LexiconEntry.objects.get().suggestion == "账号"


# --- admin pages ------------------------------------------------------------------------------------------

def test_the_menu_shows_the_lexicon_to_supervisors_only(region) -> None:
    menu_link = f'"{url("lexicon_index")}"'
    assert menu_link in client_for(region.sup_a).get(reverse("wagtailadmin_home")).content.decode()
    assert menu_link not in client_for(region.editor_a).get(reverse("wagtailadmin_home")).content.decode()


def test_the_supervisor_of_jia_sees_jia_and_the_region_but_not_yi(region) -> None:
    add(region.prefecture_a, "甲市词")
    add(region.county_a1, "甲一县词")
    add(region.prefecture_b, "乙市词")
    add(region.province, "全区词")
    response = client_for(region.sup_a).get(url("lexicon_index"))
    assert response.status_code == 200
    listed = {e.term for e in response.context["entries"]}
    assert listed == {"甲市词", "甲一县词", "全区词"}
    # The region's entries apply to 甲市's sites, so they are shown, but only 甲市's own can be changed.
    editable = {e.term for e in response.context["entries"] if e.pk in response.context["editable_ids"]}
    assert editable == {"甲市词", "甲一县词"}


def test_the_list_filters_by_kind_and_region(region) -> None:
    add(region.prefecture_a, "甲市词")
    add(region.county_a1, "帐号", kind=EntryKind.TYPO, suggestion="账号")
    client = client_for(region.sup_a)
    by_kind = client.get(url("lexicon_index"), {"kind": EntryKind.TYPO})
    assert {e.term for e in by_kind.context["entries"]} == {"帐号"}
    by_region = client.get(url("lexicon_index"), {"region": region.prefecture_a.pk})
    assert {e.term for e in by_region.context["entries"]} == {"甲市词"}
    outside = client.get(url("lexicon_index"), {"region": region.prefecture_b.pk})
    assert list(outside.context["entries"]) == []


def test_the_supervisor_of_jia_gets_404_on_yi_entries(region) -> None:
    entry = add(region.prefecture_b, "乙市词")
    client = client_for(region.sup_a)
    assert client.get(url("lexicon_edit", entry.pk)).status_code == 404
    assert client.post(url("lexicon_edit", entry.pk), {"term": "改", "severity": "block"}).status_code == 404
    assert client.get(url("lexicon_history", entry.pk)).status_code == 404
    assert client.post(url("lexicon_deactivate", entry.pk), {"note": ""}).status_code == 404
    entry.refresh_from_db()
    assert entry.term == "乙市词" and entry.active


def test_entries_of_the_region_above_are_read_only_for_the_prefecture(region) -> None:
    entry = add(region.province, "全区词")
    client = client_for(region.sup_a)
    assert client.get(url("lexicon_history", entry.pk)).status_code == 200
    # Wagtail's admin turns 403 into a redirect home with a message.
    assert client.get(url("lexicon_edit", entry.pk)).status_code == 302
    assert client.post(url("lexicon_deactivate", entry.pk), {"note": ""}).status_code == 302
    entry.refresh_from_db()
    assert entry.active


def test_a_supervisor_adds_an_entry_for_a_county_below(region) -> None:
    response = client_for(region.sup_a).post(url("lexicon_create"), {
        "region": region.county_a1.pk, "kind": EntryKind.SENSITIVE_WORD, "term": " 县级禁词 ", "category": "政治",
        "severity": "block", "suggestion": "", "note": "",
    })
    assert response.status_code == 302
    entry = LexiconEntry.objects.get()
    assert (entry.region, entry.term, entry.created_by) == (region.county_a1, "县级禁词", region.sup_a)
    assert AuditLog.objects.filter(event="checks.lexicon.add", username="sup_a").exists()


def test_a_supervisor_cannot_add_an_entry_for_another_prefecture(region) -> None:
    response = client_for(region.sup_a).post(url("lexicon_create"), {
        "region": region.prefecture_b.pk, "kind": EntryKind.SENSITIVE_WORD, "term": "某词", "severity": "block",
    })
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not LexiconEntry.objects.exists()


def test_editing_and_deactivating_through_the_admin_keep_the_history(region) -> None:
    entry = add(region.prefecture_a, "某词", by=region.sup_a)
    client = client_for(region.sup_a)
    response = client.post(url("lexicon_edit", entry.pk), {
        "term": "某词", "category": "色情", "severity": "warn", "suggestion": "", "note": "降级"})
    assert response.status_code == 302
    response = client.post(url("lexicon_deactivate", entry.pk), {"note": "误收"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert not entry.active and entry.category == "色情"
    history = client.get(url("lexicon_history", entry.pk))
    assert [c.action for c in history.context["changes"]] == ["deactivate", "change", "add"]
    assert "误收" in history.content.decode()


def test_the_import_page_reports_line_errors_and_imports_nothing(region) -> None:
    upload = SimpleUploadedFile("words.txt", "好词,政治\n坏词,政治,?\n".encode(), content_type="text/plain")
    response = client_for(region.sup_a).post(url("lexicon_import"), {
        "region": region.prefecture_a.pk, "kind": EntryKind.SENSITIVE_WORD, "file": upload})
    assert response.status_code == 200
    assert "第 2 行" in response.content.decode()
    assert not LexiconEntry.objects.exists()


def test_the_import_page_imports_into_a_region_in_scope(region) -> None:
    upload = SimpleUploadedFile("words.txt", "好词,政治\n".encode(), content_type="text/plain")
    response = client_for(region.sup_a).post(url("lexicon_import"), {
        "region": region.county_a1.pk, "kind": EntryKind.SENSITIVE_WORD, "file": upload})
    assert response.status_code == 302
    assert LexiconEntry.objects.get().region == region.county_a1


def test_the_import_page_refuses_a_region_out_of_scope(region) -> None:
    upload = SimpleUploadedFile("words.txt", "好词\n".encode(), content_type="text/plain")
    response = client_for(region.sup_a).post(url("lexicon_import"), {
        "region": region.prefecture_b.pk, "kind": EntryKind.SENSITIVE_WORD, "file": upload})
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert not LexiconEntry.objects.exists()


def test_site_staff_cannot_open_the_lexicon(region) -> None:
    client = client_for(region.editor_a)
    for name in ("lexicon_index", "lexicon_create", "lexicon_import"):
        response = client.get(url(name))
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"), name


def test_the_lexicon_pages_render_for_a_platform_admin(region) -> None:
    admin = make_user("admin", is_superuser=True, is_staff=True)
    entry = add(region.prefecture_b, "乙市词")
    client = client_for(admin)
    for name, args in (("lexicon_index", ()), ("lexicon_create", ()), ("lexicon_import", ()),
                       ("lexicon_edit", (entry.pk,)), ("lexicon_deactivate", (entry.pk,)),
                       ("lexicon_history", (entry.pk,))):
        assert client.get(url(name, *args)).status_code == 200, name
