"""Issue 13: the bureau marks a reviewer's comment resolved; the reviewer sees the mark."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_h15_frozen_documents")]

    operations = [
        migrations.AddField(
            model_name="reviewcomment",
            name="marked_resolved",
            field=models.BooleanField(default=False, verbose_name="marked resolved by the bureau"),
        ),
    ]
