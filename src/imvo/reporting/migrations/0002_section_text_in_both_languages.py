"""The secretariat's section texts in Dutch and English (``text_nl``, ``text_en``).

Each existing text moves to the language it was written in. The form never
asked, and a covenant has no source language, so it is judged from the text:
English when its common English words clearly outnumber its Dutch ones (the
demo's texts were written in English), else Dutch, the platform's language (the
secretariat writes Dutch). The other language stays empty, so the content check
lists it and the other edition shows the text marked as a fallback.
"""

import re

from django.db import migrations, models

_DUTCH = set("de het een en van is dat op te in zijn niet met voor door aan er ook bij naar werd".split())
_ENGLISH = set("the a an and of is that on to in are not with for by at was were has have this".split())


def written_in(text: str) -> str:
    """'en' or 'nl': the language of an existing text, by its common words."""
    words = re.findall(r"[a-z]+", text.lower())
    english = sum(w in _ENGLISH for w in words)
    dutch = sum(w in _DUTCH for w in words)
    return "en" if english > dutch else "nl"


def to_languages(apps, schema_editor):  # type: ignore[no-untyped-def]
    SectionText = apps.get_model("reporting", "SectionText")
    for row in SectionText.objects.exclude(text=""):
        setattr(row, f"text_{written_in(row.text)}", row.text)
        row.save(update_fields=["text_nl", "text_en"])


def to_one_text(apps, schema_editor):  # type: ignore[no-untyped-def]
    SectionText = apps.get_model("reporting", "SectionText")
    for row in SectionText.objects.all():
        row.text = row.text_nl or row.text_en
        row.save(update_fields=["text"])


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="sectiontext",
            name="text_nl",
            field=models.TextField(blank=True, verbose_name="text (Dutch)"),
        ),
        migrations.AddField(
            model_name="sectiontext",
            name="text_en",
            field=models.TextField(blank=True, verbose_name="text (English)"),
        ),
        migrations.RunPython(to_languages, to_one_text),
        migrations.RemoveField(model_name="sectiontext", name="text"),
    ]
