"""Audit log: every entry has its own place in the chain (a separate step from 0003's data, for PostgreSQL)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_audit_hash_chain"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditlog",
            name="seq",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="序号"),
        ),
        migrations.AlterModelOptions(
            name="auditlog",
            options={"ordering": ["-seq"], "verbose_name": "审计日志", "verbose_name_plural": "审计日志"},
        ),
    ]
