"""The isolation matrix (隔离矩阵): every route of `isolation_matrix.ROUTES` against every target and role of
`isolation_matrix.TARGETS`, and every `WRITES` row, plus the scope functions' table below.

One test per route: it fails naming each (role, target) cell that leaked, so a row of the table is a test.
"""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, ReferenceIndex

from govsite.content.models import ArticlePage, ColumnPage, SiteAppearance
from govsite.core.access import SYSTEM
from govsite.core.models import Role, WorkdayOverride
from govsite.testing import force_login_verified, give_role, make_user

from .isolation_matrix import ROUTES, TARGETS, TARGETS_BY_KEY, WRITES, Route, Write, body_text

pytestmark = pytest.mark.django_db


def _png(name: str) -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name=name)


def _document(collection: Collection, title: str, content: bytes, filename: str):  # noqa: ANN202
    return get_document_model().objects.create(
        title=title, file=ContentFile(content, name=filename), collection=collection)


def _doc_link(document) -> str:  # noqa: ANN001
    return f'<a linktype="document" id="{document.pk}">附件</a>'


def _plant_body(page: ArticlePage, body: str) -> None:
    """Write a body straight to the database and the reference index: content saved before today's rules."""
    ArticlePage.objects.filter(pk=page.pk).update(body=body)
    page.refresh_from_db()
    ReferenceIndex.create_or_update_for_object(page)


def _fill_site(website, label: str, ascii_label: str) -> SimpleNamespace:  # noqa: ANN001
    from govsite.monitoring.models import RunStatus, ScanFinding, ScanRun, Verdict

    home = website.wagtail_site.root_page.specific
    column = home.add_child(instance=ColumnPage(title=f"{label}要闻栏目 matrix", slug=f"news-{ascii_label}"))
    column.save_revision().publish()
    live = column.add_child(instance=ArticlePage(
        title=f"{label}已发布信息 matrix", slug=f"live-{ascii_label}", body=f"<p>{label}已发布正文</p>", live=False))
    live.save_revision().publish()
    live.refresh_from_db()
    pending = live.get_latest_revision_as_object()
    pending.body = f"<p>{label}待审修改</p>"
    pending.save_revision()
    draft = column.add_child(instance=ArticlePage(
        title=f"{label}草稿信息 matrix", slug=f"draft-{ascii_label}", body=f"<p>{label}草稿正文</p>", live=False))
    draft.save_revision()
    collection = Collection.objects.get(name=website.site_code)
    image = get_image_model().objects.create(title=f"{label}图片", file=_png(f"{ascii_label}.png"),
                                             collection=collection)
    document = _document(collection, f"{label}待审文件", f"{ascii_label}-SECRET-DRAFT".encode(),
                         f"{ascii_label}-draft.txt")
    run = ScanRun.objects.create(website=website, as_of=date(2026, 1, 5), status=RunStatus.DONE,
                                 verdict=Verdict.WOULD_FAIL, finished_at=timezone.now())
    ScanFinding.objects.create(run=run, check_name="broken_links", severity="veto", url=website.homepage_url,
                               detail=f"{label}监测发现", found_at=timezone.now(),
                               screenshot=ContentFile(b"\x89PNG\r\n\x1a\n" + f"{label}截图".encode(), name="shot.png"))
    appearance = SiteAppearance.for_site(website.wagtail_site)
    appearance.banner_text = f"{label}站横幅"
    appearance.save()
    return SimpleNamespace(home=home, column=column, live=live, draft=draft, image=image, document=document,
                           run=run, collection=collection, website=website)


def _plant_campaigns(region) -> dict:  # noqa: ANN001
    """A campaign of 甲市 and one of 乙市, each with an inspector's finding and its evidence file."""
    from govsite.supervision.campaigns import do_create_campaign
    from govsite.supervision.models import CampaignFinding, FindingSource, Notice

    campaigns = {}
    for key, unit, area, label in (("a.campaign", region.gov_a, region.prefecture_a, "甲"),
                                   ("b.campaign", region.gov_b, region.prefecture_b, "乙")):
        campaign = do_create_campaign(by=SYSTEM, region=area, unit=unit, name=f"{label}市抽查矩阵",
                                      period_start=date(2031, 1, 1), period_end=date(2031, 1, 2),
                                      as_of=date(2031, 1, 2), ratio="1", seed=1)
        finding = CampaignFinding(site=campaign.sites.order_by("pk").first(), source=FindingSource.INSPECTION,
                                  code="manual_basic_info", indicator="deduction.basic_info",
                                  detail=f"{label}抽查问题矩阵")
        finding.evidence.save("evidence.pdf", ContentFile(f"%PDF-1.4 {label}抽查问题矩阵".encode()), save=False)
        finding.save()
        campaigns[key] = campaign
        # A notice of each campaign (the campaign is finished for it), its files with a plain marker.
        notice = Notice(campaign=campaign, title=f"{label}市通报矩阵", document_number=f"{label}通报文号矩阵")
        notice.docx.save("notice.docx", ContentFile(f"{key[0].upper()}-NOTICE-FILE".encode()), save=False)
        notice.xlsx.save("annex.xlsx", ContentFile(f"{key[0].upper()}-NOTICE-FILE".encode()), save=False)
        notice.save()
        campaigns[f"{key[0]}.notice"] = campaigns[f"{key[0]}.notice_file"] = notice
    return campaigns


def build_world(region) -> dict:  # noqa: ANN001
    """Sites A and B filled with one object of each kind, the planted cross-site links, and the roles' users."""
    a = _fill_site(region.site_a, "甲", "A")
    b = _fill_site(region.site_b, "乙", "B")
    # A draft of A linking a document of B (secret marking, a mobile number) as it could be saved before.
    foreign = _document(b.collection, "乙外站文件", "乙外站机密事项 绝密★10年\n联系人手机：13812345678".encode(),
                        "B-foreign.txt")
    links_b = a.column.add_child(instance=ArticlePage(
        title="甲链接外站文件草稿", slug="links-b", body="<p>见附件</p>", live=False))
    links_b.body = f"<p>见{_doc_link(foreign)}</p>"
    links_b.save_revision(clean=False)
    _plant_body(links_b, links_b.body)
    # A draft of A with personal data: findings show it masked.
    personal = a.column.add_child(instance=ArticlePage(
        title="甲个人信息草稿", slug="personal", body="<p>联系人手机：13912345678</p>", live=False))
    personal.save_revision()
    # A live page of A linking an unpublished document of B.
    linked = _document(b.collection, "乙被链接文件", b"B-LINKED-SECRET", "B-linked.txt")
    linker = a.column.add_child(instance=ArticlePage(
        title="甲引用页", slug="linker", body="<p>正文</p>", live=False))
    linker.save_revision().publish()
    _plant_body(linker, f"<p>{_doc_link(linked)}</p>")
    linker.save_revision(clean=False)

    users = {
        "site_admin": (Role.SITE_ADMIN, {"website": region.site_a}),
        "editor": (Role.EDITOR, {"website": region.site_a}),
        "reviewer": (Role.REVIEWER, {"website": region.site_a}),
        "supervisor": (Role.SUPERVISOR, {"unit": region.gov_a}),
        "evaluator": (Role.EVALUATOR, {"website": region.site_a}),
        "platform_admin": (Role.PLATFORM_ADMIN, {}),
    }
    clients = {"anonymous": Client()}
    for name, (role, scope) in users.items():
        user = make_user(f"matrix_{name}")
        give_role(user, role, **scope)
        clients[name] = Client()
        force_login_verified(clients[name], user)
    from govsite.checks.models import EntryKind, LexiconEntry

    lexicon = LexiconEntry.objects.create(region=region.prefecture_b, kind=EntryKind.SENSITIVE_WORD,
                                          term="乙市专用敏感词", severity="block")
    workday = WorkdayOverride.objects.create(date=date(2031, 1, 2), is_workday=False, note="矩阵工作日调整说明")
    campaigns = _plant_campaigns(region)
    from govsite.library.services import do_submit_item

    portal_column = region.portal.wagtail_site.root_page.add_child(
        instance=ColumnPage(title="门户区县信息 matrix", slug="portal-news"))
    portal_column.save_revision().publish()
    submissions = {
        key: do_submit_item(site.live, portal_column, by=SYSTEM, note=note)
        for key, site, note in (("a.submission", a, "甲报送说明矩阵"), ("b.submission", b, "乙报送说明矩阵"))
    }
    tickets = _tickets(region)
    objects = {
        **submissions,
        **campaigns,
        **tickets,
        "platform.workday": workday,
        "b.draft": b.draft, "b.live": b.live, "b.pending": b.live, "b.column": b.column, "b.document": b.document,
        "b.image": b.image, "b.website": region.site_b, "b.scan": b.run, "b.checkrun": b.draft,
        "b.appearance": region.site_b.wagtail_site, "b.lexicon": lexicon,
        "a.draft": a.draft, "a.pending": a.live, "a.live": a.live, "a.document": a.document, "a.image": a.image,
        "a.website": region.site_a, "a.links_b_document": links_b, "a.personal_data": personal,
        "b.document_linked_from_a": linked, "b.document_download": b.document, "a.document_download": a.document,
    }
    objects.update({"b.draft_item": b.draft, "b.pending_item": b.live, "a.draft_item": a.draft,
                    "a.pending_item": a.live})  # 信息接口
    assert set(objects) == set(TARGETS_BY_KEY), "every target of the matrix needs an object"
    return {"objects": objects, "clients": clients, "a": a, "b": b}


def _tickets(region) -> dict:  # noqa: ANN001
    """整改工单 of sites A and B, each with an answer carrying evidence (written directly: a matrix object)."""
    from govsite.supervision.models import TicketAnswer
    from govsite.supervision.tickets import do_open_ticket

    found = {}
    for key, website, label, ascii_label in (("a", region.site_a, "甲", "A"), ("b", region.site_b, "乙", "B")):
        ticket = do_open_ticket(website, by=SYSTEM, title=f"{label}整改工单矩阵", description=f"{label}整改要求矩阵",
                                workdays=5, code="broken_link", place=website.homepage_url)
        answer = TicketAnswer(ticket=ticket, text="已整改")
        answer.evidence.save("evidence.pdf", ContentFile(f"%PDF-1.4 {ascii_label}-TICKET-EVIDENCE".encode()),
                             save=False)
        answer.save()
        found[f"{key}.ticket"] = ticket
        found[f"{key}.ticket_file"] = answer
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    """Built once for the module inside a transaction rolled back at its end; each test runs in a savepoint."""
    from django.db import transaction

    from govsite.testing import build_mini_region

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(build_mini_region(hosted=True))
        transaction.set_rollback(True)


def _leaks(route: Route, world: dict) -> list[str]:
    """Each (role, URL) is asked once; its answer must hold none of the markers of the targets behind that URL
    that the role may not see. Redirects are not followed: where they lead is a route of its own."""
    cells: dict[tuple[str, str], list] = {}
    for target in TARGETS:
        if target.kind not in route.kinds:
            continue
        url = route.url_for(world["objects"][target.key])
        for role in route.roles:
            if role not in target.seen_by:
                cells.setdefault((role, url), []).append(target)
    problems = []
    for (role, url), targets in cells.items():
        response = world["clients"][role].get(url)
        refused = [t for t in targets if not t.may_open(role)]
        if route.status and refused and response.status_code == 200:
            problems.append(f"{role} → {'、'.join(t.key for t in refused)}: 200 {url}")
            continue
        text = body_text(response)
        for target in targets:
            shown = [m for m in target.markers if m in text]
            if shown:
                problems.append(f"{role} → {target.key}: {'、'.join(shown)} ({response.status_code} {url})")
    return problems


def _grants(route: Route, world: dict) -> list[str]:
    problems = []
    for role, key in route.ok:
        target = TARGETS_BY_KEY[key]
        assert role in target.seen_by, f"{route.name}: {role} may not see {key}"
        url = route.url_for(world["objects"][key])
        response = world["clients"][role].get(url)
        text = body_text(response)
        if response.status_code != 200 or not any(m in text for m in target.markers):
            problems.append(f"{role} should reach {key}: {response.status_code} {url}")
    return problems


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_route_shows_nothing_out_of_scope(world, route: Route):
    problems = _leaks(route, world) + _grants(route, world)
    assert not problems, f"{route.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_write_changes_nothing_out_of_scope(world, write: Write):
    obj = world["objects"][write.target]
    before = write.unchanged(obj)
    problems = []
    for role in write.roles:
        response = world["clients"][role].post(write.url(obj), write.data(obj))
        after = write.unchanged(obj)
        if after != before:
            problems.append(f"{role}: {before!r} → {after!r} ({response.status_code})")
            before = after
    assert not problems, f"{write.name}:\n" + "\n".join(problems)


def test_every_target_kind_is_reached_by_some_route():
    kinds = {kind for route in ROUTES for kind in route.kinds}
    assert {t.kind for t in TARGETS} <= kinds


# --- behaviours that are not a single route ----------------------------------------------------------------

def test_unpublished_document_is_public_once_a_live_page_of_its_own_site_links_it(world):
    b = world["b"]
    client = world["clients"]["anonymous"]
    url = f"/documents/{b.document.pk}/{b.document.filename}"
    assert client.get(url).status_code == 404
    article = b.live.get_latest_revision_as_object()
    article.body = f"<p>{_doc_link(b.document)}</p>"
    article.save_revision().publish()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"B-SECRET-DRAFT"


def _edit_post(article: ArticlePage, body: str, **actions: str) -> dict:
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from govsite.content.tests.builders import body_stream

    return nested_form_data({
        "title": article.title, "slug": article.slug,
        "published_at": timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M"), "source": "",
        "summary": "", "body": body_stream(body), "comments": inline_formset([]), **actions,
    })


@pytest.mark.parametrize("kind", ["document", "image"])
@pytest.mark.parametrize("action", [{}, {"action-submit": "提交审核"}])
def test_a_page_may_not_link_another_sites_file(world, kind, action):
    from django.urls import reverse

    a, b = world["a"], world["b"]
    link = _doc_link(b.document) if kind == "document" else f'<embed embedtype="image" id="{b.image.pk}" format="left" alt="x"/>'
    a.draft.refresh_from_db()  # the world's objects are shared: another test may have saved this one
    before = a.draft.get_latest_revision().pk
    response = world["clients"]["site_admin"].post(
        reverse("wagtailadmin_pages:edit", args=[a.draft.pk]), _edit_post(a.draft, f"<p>附件{link}</p>", **action))
    assert response.status_code == 200, "the form comes back with the reason"
    assert "页面只能链接本网站的文件和图片" in response.content.decode()
    a.draft.refresh_from_db()
    assert a.draft.get_latest_revision().pk == before
    # The own site's file is fine.
    own = _doc_link(a.document) if kind == "document" else f'<embed embedtype="image" id="{a.image.pk}" format="left" alt="x"/>'
    response = world["clients"]["site_admin"].post(
        reverse("wagtailadmin_pages:edit", args=[a.draft.pk]), _edit_post(a.draft, f"<p>附件{own}</p>"))
    assert response.status_code == 302
    a.draft.refresh_from_db()
    assert a.draft.get_latest_revision().pk != before


def test_publishing_a_page_that_links_another_sites_file_is_refused(world):
    from django.core.exceptions import ValidationError

    a, b = world["a"], world["b"]
    page = a.live.get_latest_revision_as_object()
    page.body = f"<p>{_doc_link(b.document)}</p>"
    with pytest.raises(ValidationError) as excinfo:
        page.save_revision()
    assert "页面只能链接本网站的文件和图片" in excinfo.value.messages[0]
    revision = page.save_revision(clean=False)
    with pytest.raises(ValidationError):
        revision.publish()
    assert "B-SECRET-DRAFT" not in body_text(world["clients"]["anonymous"].get(
        f"/documents/{b.document.pk}/{b.document.filename}"))


def test_admin_routes_need_a_login(world):
    client = world["clients"]["anonymous"]
    for route in ROUTES:
        if "anonymous" in route.roles:
            continue
        for target in TARGETS:
            if target.kind in route.kinds:
                url = route.url_for(world["objects"][target.key])
                response = client.get(url)
                assert response.status_code in (302, 401, 403, 404), (route.name, url, response.status_code)
                assert not any(m in body_text(response) for m in target.markers), (route.name, url)
                break
