"""The learning library became its own app (``imvo.library``): its two tables
are renamed to the new app's names here, with their rows, and leave this app's
state; ``library.0001`` takes them over without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("learningattachment", "library_learningattachment"),
                migrations.AlterModelTable("learningitem", "library_learningitem"),
            ],
            state_operations=[
                migrations.DeleteModel("LearningAttachment"),
                migrations.DeleteModel("LearningItem"),
            ],
        )
    ]
