"""Audit log hash chain: number and link the entries already written, in the order they were written."""

import django.utils.timezone
from django.db import migrations, models


def chain_existing_entries(apps, schema_editor):
    from govsite.core.audit import GENESIS_HASH, entry_hash

    AuditLog = apps.get_model("core", "AuditLog")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    seq, previous = 0, GENESIS_HASH
    batch = []
    for entry in AuditLog.objects.order_by("timestamp", "id").iterator(chunk_size=2000):
        seq += 1
        entry.seq, entry.prev_hash = seq, previous
        entry.hash = entry_hash({name: getattr(entry, name) for name in (
            "seq", "timestamp", "username", "event", "object_type", "object_id", "object_repr", "result",
            "source_ip", "detail", "prev_hash")})
        previous = entry.hash
        batch.append(entry)
        if len(batch) >= 1000:
            AuditLog.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    if batch:
        AuditLog.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": previous})


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "审计日志链头", "verbose_name_plural": "审计日志链头"},
        ),
        migrations.CreateModel(
            name="AuditArchive",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="归档时间")),
                ("file_name", models.CharField(max_length=255, verbose_name="归档文件")),
                ("file_sha256", models.CharField(max_length=64, verbose_name="文件 SHA-256")),
                ("first_seq", models.BigIntegerField(verbose_name="起始序号")),
                ("last_seq", models.BigIntegerField(unique=True, verbose_name="截止序号")),
                ("anchor_hash", models.CharField(max_length=64, verbose_name="起始前哈希")),
                ("last_hash", models.CharField(max_length=64, verbose_name="截止哈希")),
                ("count", models.PositiveIntegerField(verbose_name="条数")),
                ("before", models.DateTimeField(verbose_name="归档早于")),
            ],
            options={"verbose_name": "审计日志归档", "verbose_name_plural": "审计日志归档", "ordering": ["last_seq"]},
        ),
        migrations.AddField(
            model_name="auditlog",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditlog",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="前一条哈希"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditlog",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="哈希"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditlog",
            name="timestamp",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False,
                                       verbose_name="时间"),
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
    ]
