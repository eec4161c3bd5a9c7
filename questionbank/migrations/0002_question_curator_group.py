"""The "Question curator" group: may curate questions (and their parts) in admin, and nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Question curator"
MODELS = ("question", "hint", "followup", "rubricpoint", "signature", "testcase")
ACTIONS = ("add", "change", "delete", "view")


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; curators need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.set(Permission.objects.filter(content_type__app_label="questionbank", codename__in=codenames))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("questionbank", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
