"""Report.signed_on now holds only the date the clerk sets; until now only an approval wrote it (the
approval date, which the document now takes from approved_at). Clear those copies, so that a report
reopened later does not keep its old approval date as if the clerk had typed it."""

from django.db import migrations


def clear_approval_copies(apps, schema_editor):
    apps.get_model("reports", "Report").objects.exclude(signed_on=None).update(signed_on=None)


class Migration(migrations.Migration):
    dependencies = [("reports", "0012_h16_notifications_timeliness")]

    operations = [migrations.RunPython(clear_approval_copies, migrations.RunPython.noop)]
