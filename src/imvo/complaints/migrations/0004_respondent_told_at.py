"""`Complaint.respondent_told_at`: the member the complainant named is e-mailed
once when it may first see the case, as members the committee names are.

Cases that were already where the company sees them (admissibility decided)
are marked as told: their member has been reading the case on the platform,
and a first "this complaint concerns you" mail months later, sent by the daily
retry (`complaints-respondent-mail`), would tell it nothing true.
"""

from django.db import migrations, models
from django.db.models import F

# models.COMPANY_STATES when this migration was written (a migration does not
# import the live list, which may change).
COMPANY_STATES = [
    "admissible",
    "inadmissible",
    "mediation",
    "investigation",
    "decision",
    "appeal",
    "remediation",
    "closed",
]


def mark_visible_cases_told(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    seen = Complaint.objects.filter(respondent__isnull=False, state__in=COMPANY_STATES)
    seen.filter(admissibility_at__isnull=False).update(respondent_told_at=F("admissibility_at"))
    seen.filter(admissibility_at__isnull=True).update(respondent_told_at=F("state_since"))


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_respondent_naming_notified_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="respondent_told_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_visible_cases_told, migrations.RunPython.noop),
    ]
