"""Trigram indexes for the substring filters (topics, q) on PostgreSQL; other databases keep scanning.

`topics` is `topic_index LIKE '%|key|%'` and `q` is `UPPER(title|description) LIKE UPPER('%word%')`:
B-tree indexes cannot serve either, GIN trigram indexes can (100k questions: ~150 ms -> ~15 ms for topics).
"""

from django.db import migrations

INDEXES = {
    "questionbank_q_topic_trgm": "topic_index gin_trgm_ops",
    "questionbank_q_title_trgm": "UPPER(title) gin_trgm_ops",
    "questionbank_q_desc_trgm": "UPPER(description) gin_trgm_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON questionbank_question USING gin ({expression})")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("questionbank", "0002_question_curator_group")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
