"""The learning library's tables, taken over from ``reporting`` (renamed there by
``reporting.0002``, with their rows): state only, no change to the database.
The content types (and so the admin permissions) move with them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("learningitem", "learningattachment"):
        if not content_type.objects.filter(app_label="library", model=model).exists():
            content_type.objects.filter(app_label="reporting", model=model).update(
                app_label="library"
            )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reporting', '0002_move_learning_library'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('covenants', '0002_oecd_chapters'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LearningItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('kind', models.CharField(choices=[('good_practice', 'Good practice'), ('lesson', 'Lesson learned')], default='good_practice', max_length=20, verbose_name='kind')),
                        ('sector', models.CharField(blank=True, max_length=30, verbose_name='sector')),
                        ('summary', models.CharField(blank=True, max_length=300, verbose_name='summary')),
                        ('text', models.TextField(verbose_name='text')),
                        ('published_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='published')),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                        ('covenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='learning_items', to='covenants.covenant', verbose_name='covenant')),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='learning_items', to='covenants.organisation', verbose_name='published by organisation')),
                        ('theme', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='learning_items', to='covenants.theme', verbose_name='theme')),
                    ],
                    options={
                        'verbose_name': 'learning library item',
                        'verbose_name_plural': 'learning library items',
                        'ordering': ['-published_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='LearningAttachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(upload_to='learning/%Y/')),
                        ('name', models.CharField(max_length=200)),
                        ('content_type', models.CharField(max_length=100)),
                        ('size', models.PositiveIntegerField()),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='library.learningitem')),
                    ],
                    options={
                        'ordering': ['item', 'id'],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
