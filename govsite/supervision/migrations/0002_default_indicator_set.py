"""Ships the 2019 检查指标 as version 1 of the default indicator set."""

from django.db import migrations


def seed(apps, schema_editor) -> None:  # noqa: ANN001
    from govsite.supervision.indicator_sets import DEFAULT_SET_NAME, default_definition

    IndicatorSet = apps.get_model("supervision", "IndicatorSet")
    IndicatorSet.objects.get_or_create(
        name=DEFAULT_SET_NAME, version=1,
        defaults={"definition": default_definition(), "note": "系统预置（2019 年检查指标）"})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
