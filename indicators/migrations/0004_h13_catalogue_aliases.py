"""Issue 13: an indicator is matched in report text on its own words only (the aliases in
fixtures/indicators.json). 项目总投资's old aliases (总投资, 投资, 投入) matched every investment a
text mentions; two per-1,000 indicators lacked the wording reports use."""

from django.db import migrations

# slug: (old aliases, new aliases)
CHANGES = {
    "project_investment": ("总投资|投资|投入", "项目投资总额"),
    "nurses_per_1000": ("每千人口护士", "每千人口护士|每千人口注册护士"),
    "beds_per_1000": ("每千人口床位", "每千人口床位|每千人口医疗卫生机构床位"),
}


def _apply(apps, pick):
    model = apps.get_model("indicators", "IndicatorDefinition")
    for slug, pair in CHANGES.items():
        old, new = pick(pair)
        model.objects.filter(slug=slug, aliases=old).update(aliases=new)  # leave edited aliases alone


def forwards(apps, schema_editor):
    _apply(apps, lambda pair: pair)


def backwards(apps, schema_editor):
    _apply(apps, lambda pair: pair[::-1])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_h12_indicator_proportion")]
    operations = [migrations.RunPython(forwards, backwards)]
