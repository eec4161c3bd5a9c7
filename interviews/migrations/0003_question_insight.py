from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR_GROUP = "Question curator"


def grant_curators(apps, schema_editor):
    """Curators read what questions teach (answers under a pseudonym, never the audit's personal data)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=CURATOR_GROUP).first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="interviews",
                                                         codename="view_questioninsight"))


class Migration(migrations.Migration):

    dependencies = [
        ('interviews', '0002_sessionquestion_scores'),
        ('questionbank', '0005_curation'),
    ]

    operations = [
        migrations.CreateModel(
            name='QuestionInsight',
            fields=[
            ],
            options={
                'verbose_name': 'what a question teaches',
                'verbose_name_plural': 'what questions teach',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('questionbank.question',),
        ),
        migrations.RunPython(grant_curators, migrations.RunPython.noop),
    ]
