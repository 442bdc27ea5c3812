"""数据备份与恢复: a backup taken, content changed and deleted, the backup restored — every row of the key
tables and every media file is back as it was, on SQLite and on PostgreSQL (DATABASE_URL=postgres://…)."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision

from govsite.content.models import ArticlePage
from govsite.core.backup import read_manifest
from govsite.core.models import AuditLog
from govsite.core.services import record_audit
from govsite.registry.models import Website
from govsite.testing import build_mini_region, make_user, make_website, with_site_staff

# Transactional: the database tools read and replace committed data only.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Document = get_document_model()
Image = get_image_model()


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:  # noqa: ANN001
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def _png(colour: str) -> ContentFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="标志.png")


def _build_content() -> dict:
    region = with_site_staff(build_mini_region(hosted=True))
    collection = Collection.objects.get(name=region.site_a.site_code)
    document = Document.objects.create(title="补贴名单", collection=collection,
                                       file=ContentFile("名单内容".encode(), name="补贴名单.txt"))
    kept = Document.objects.create(title="年度报告", collection=collection,
                                   file=ContentFile(b"%PDF-1.4 report", name="report.pdf"))
    image = Image.objects.create(title="标志", collection=collection, file=_png("red"))
    image.get_rendition("fill-4x4")
    article = region.column.add_child(instance=ArticlePage(
        title="关于开展安全检查的通知", slug="notice", published_at=timezone.now(),
        body=f'<p>附件：<a linktype="document" id="{document.pk}">补贴名单</a></p>'))
    article.save_revision().publish()
    admin = make_user("sysadmin", is_superuser=True)
    record_audit(admin, "page.publish", article, note="发布")
    record_audit(None, "registry.import", region.site_b, rows=3)
    return {"region": region, "document": document, "kept": kept, "image": image, "article": article}


def _snapshot() -> dict:
    """Every row of the key tables, and the hash of every media file."""
    tables = {
        "pages": list(Page.objects.order_by("pk").values()),
        "articles": list(ArticlePage.objects.order_by("pk").values("pk", "body", "published_at")),
        "revisions": list(Revision.objects.order_by("pk").values()),
        "documents": list(Document.objects.order_by("pk").values()),
        "images": list(Image.objects.order_by("pk").values()),
        "websites": list(Website.objects.order_by("pk").values()),
        "audit": list(AuditLog.objects.order_by("pk").values()),
    }
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    tables["media"] = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                       for p in sorted(root.rglob("*")) if p.is_file()}
    return tables


def _backup(output: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output=str(output), stdout=out, stderr=io.StringIO())
    return Path(out.getvalue().strip())


def _rewrite(archive: Path, target: Path, *, manifest_change=None, member_change=None) -> Path:  # noqa: ANN001
    """A copy of `archive` with its manifest or one member altered."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as sink:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "manifest.json" and manifest_change:
                manifest = json.loads(data)
                manifest_change(manifest)
                data = json.dumps(manifest).encode()
            elif member_change and member_change(member.name):
                data = data + b"tampered"
            member.size = len(data)
            sink.addfile(member, io.BytesIO(data))
    return target


def test_restore_brings_back_every_row_and_media_file(media_root: Path, tmp_path: Path) -> None:
    content = _build_content()
    before = _snapshot()
    assert len(before["media"]) == 4  # two documents, an original image and its rendition
    archive = _backup(tmp_path / "backups")

    manifest = read_manifest(archive)
    assert manifest["engine"] == connection.vendor
    assert manifest["row_counts"]["registry_website"] == Website.objects.count()
    assert ["core", "0001_initial"] in manifest["migrations"]
    assert all(len(m["sha256"]) == 64 for m in manifest["members"].values())
    assert archive.stat().st_mode & 0o077 == 0  # readable by its owner only

    # Change, delete and add after the backup.
    article = content["article"]
    article.title = "标题被改了"
    article.save_revision().publish()
    content["document"].delete()
    Document.objects.create(title="新文件", file=ContentFile(b"new", name="new.txt"))
    content["kept"].file.open("wb").write(b"overwritten on disk")
    Website.objects.filter(pk=content["region"].site_b.pk).update(name="被改名的网站")
    make_website(content["region"].gov_b, site_code="9902000009", name="新登记网站", host="www.new.gov.cn")
    record_audit(None, "page.publish", article, note="备份之后")
    assert _snapshot() != before

    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out, stderr=io.StringIO())
    assert "已恢复" in out.getvalue()

    after = _snapshot()
    for table in ("pages", "articles", "revisions", "documents", "images", "websites"):
        assert after[table] == before[table], table
    assert after["media"] == before["media"]
    # The audit log is the backup's, row for row, followed by the entry that records the restore itself.
    assert after["audit"][: len(before["audit"])] == before["audit"]
    assert [row["event"] for row in after["audit"][len(before["audit"]):]] == ["backup.restore"]
    assert Page.objects.get(pk=article.pk).title == "关于开展安全检查的通知"


def test_backup_shows_progress_and_keeps_the_newest_archives(media_root: Path, tmp_path: Path) -> None:
    build_mini_region(hosted=False)
    output = tmp_path / "backups"
    for index in range(3):
        err = io.StringIO()
        call_command("backup", output=str(output), keep=2, stdout=io.StringIO(), stderr=err)
        assert "正在导出数据库" in err.getvalue() and "备份完成" in err.getvalue()
        assert index < 2 or "已删除超出保留份数的旧备份" in err.getvalue()
    assert len(list(output.glob("govsite-backup-*.tar"))) == 2
    assert AuditLog.objects.filter(event="backup.create").count() == 3


def test_restore_refuses_another_database_engine(media_root: Path, tmp_path: Path) -> None:
    build_mini_region(hosted=False)
    archive = _backup(tmp_path)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    forged = _rewrite(archive, tmp_path / "other.tar", manifest_change=lambda m: m.update(engine=other))
    with pytest.raises(CommandError, match="数据库类型不一致"):
        call_command("restore", str(forged), yes=True, allow_migration_mismatch=True, stderr=io.StringIO())


def test_restore_refuses_a_different_migration_state_unless_told(media_root: Path, tmp_path: Path) -> None:
    region = build_mini_region(hosted=False)
    archive = _backup(tmp_path)
    older = _rewrite(archive, tmp_path / "older.tar",
                     manifest_change=lambda m: m.update(migrations=[p for p in m["migrations"]
                                                                    if p != ["registry", "0001_initial"]]))
    Website.objects.filter(pk=region.site_a.pk).update(name="恢复前")
    with pytest.raises(CommandError, match="迁移状态与备份不一致.*registry.0001_initial"):
        call_command("restore", str(older), yes=True, stderr=io.StringIO())
    assert Website.objects.get(pk=region.site_a.pk).name == "恢复前"  # nothing touched

    out = io.StringIO()
    call_command("restore", str(older), yes=True, allow_migration_mismatch=True, stdout=out, stderr=io.StringIO())
    assert "govsite migrate" in out.getvalue()
    assert Website.objects.get(pk=region.site_a.pk).name == "甲市人民政府网"


def test_restore_refuses_a_tampered_archive_and_changes_nothing(media_root: Path, tmp_path: Path) -> None:
    region = build_mini_region(hosted=True)
    Document.objects.create(title="通知", file=ContentFile(b"original", name="tongzhi.txt"))
    archive = _backup(tmp_path)
    tampered = _rewrite(archive, tmp_path / "tampered.tar", member_change=lambda name: name.startswith("media/"))
    Website.objects.filter(pk=region.site_a.pk).update(name="恢复前")
    media_before = sorted(p for p in media_root.rglob("*") if p.is_file())
    with pytest.raises(CommandError, match="SHA-256 校验值不符"):
        call_command("restore", str(tampered), yes=True, stderr=io.StringIO())
    assert Website.objects.get(pk=region.site_a.pk).name == "恢复前"
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == media_before


def test_restore_without_confirmation_changes_nothing(media_root: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    region = build_mini_region(hosted=False)
    archive = _backup(tmp_path)
    Website.objects.filter(pk=region.site_a.pk).update(name="恢复前")
    monkeypatch.setattr("builtins.input", lambda prompt: "不")
    with pytest.raises(CommandError, match="已取消"):
        call_command("restore", str(archive), stderr=io.StringIO())
    assert Website.objects.get(pk=region.site_a.pk).name == "恢复前"


def test_a_file_that_is_not_a_backup_is_refused_in_chinese(media_root: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-backup.tar"
    bogus.write_bytes(b"hello")
    with pytest.raises(CommandError, match="不是 GovSite 备份归档"):
        call_command("restore", str(bogus), yes=True, stderr=io.StringIO())
