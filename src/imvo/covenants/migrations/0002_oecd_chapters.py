"""Every install starts with the OECD Guidelines chapters as themes."""

from django.db import migrations


def add_chapters(apps, schema_editor):
    from imvo.covenants.services import OECD_CHAPTERS

    Theme = apps.get_model("covenants", "Theme")
    for i, (code, nl, en) in enumerate(OECD_CHAPTERS, start=1):
        Theme.objects.get_or_create(code=code, covenant=None, defaults={"name_nl": nl, "name_en": en, "order": i})


class Migration(migrations.Migration):
    dependencies = [("covenants", "0001_initial")]
    operations = [migrations.RunPython(add_chapters, migrations.RunPython.noop)]
