"""load_question_bank, import_questions and export_questions: idempotence, all-or-nothing, round trips."""

import io
from collections import Counter

import pytest
import yaml
from django.core.management import CommandError, call_command

from questionbank.bankfile import dump_questions, normalise
from questionbank.models import Question, RubricPoint
from questionbank.models import TestCase as QuestionTestCase
from questionbank.services import CHILDREN, question_to_bank
from tests.questionbank.knowledge import BEHAVIORAL, CODING, THEORY
from tests.questionbank.knowledge import entry as knowledge_entry

pytestmark = pytest.mark.django_db

PREFETCH = CHILDREN


def run(command: str, *args: object) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, dict]:
    """Everything the bank format carries, plus the identity candidates see, by slug."""
    return {q.slug: {**question_to_bank(q), "public_id": q.public_id, "rubric_version": q.rubric_version}
            for q in Question.objects.prefetch_related(*PREFETCH)}


def bank_entry(slug: str) -> dict:
    return question_to_bank(Question.objects.prefetch_related(*PREFETCH).get(slug=slug))


def new_question(slug: str) -> dict:
    """A valid theory question, the evaluator's knowledge included."""
    return knowledge_entry(THEORY, slug=slug)


@pytest.fixture
def coding_slug() -> str:
    return Question.objects.filter(type="coding").order_by("slug").values_list("slug", flat=True).first()


class TestLoadQuestionBank:
    def test_loading_again_creates_and_updates_nothing(self):
        # Given the bundled bank, already loaded once for the session
        before = snapshot()
        rows = (Question.objects.count(), RubricPoint.objects.count(), QuestionTestCase.objects.count())

        # When it is loaded a second time
        output = run("load_question_bank")

        # Then nothing is duplicated or changed, and the run says so
        assert (Question.objects.count(), RubricPoint.objects.count(), QuestionTestCase.objects.count()) == rows
        assert snapshot() == before
        assert f"0 created, 0 updated, {len(before)} unchanged" in output

    def test_loading_prints_the_count_of_each_type(self):
        counts = Counter(Question.objects.values_list("type", flat=True))

        output = run("load_question_bank")

        expected = ", ".join(f"{t}: {n}" for t, n in sorted(counts.items()))
        assert f"({expected})" in output
        assert set(counts) == {"coding", "theory", "behavioral", "system_design"}

    def test_a_changed_question_is_updated_in_place_without_a_rubric_bump(self, tmp_path, coding_slug):
        # Given a bank file where one question's title and tests changed but not its rubric
        original = Question.objects.get(slug=coding_slug)
        entry = bank_entry(coding_slug)
        entry["title"] = "A better title"
        entry["tests"][0]["name"] = "renamed example"
        (tmp_path / "bank.yaml").write_text(dump_questions([entry]), encoding="utf-8")

        # When the bank loads from it
        output = run("load_question_bank", "--path", str(tmp_path))

        # Then the same row is updated, its children replaced, and the rubric version kept
        updated = Question.objects.get(slug=coding_slug)
        assert (updated.pk, updated.public_id) == (original.pk, original.public_id)
        assert updated.title == "A better title"
        assert updated.test_cases.first().name == "renamed example"
        assert updated.rubric_version == original.rubric_version
        assert "0 created, 1 updated, 0 unchanged" in output

    def test_a_changed_rubric_bumps_the_rubric_version(self, tmp_path, coding_slug):
        original = Question.objects.get(slug=coding_slug)
        entry = bank_entry(coding_slug)
        entry["rubric"][0]["phrases"].append("a newly accepted phrase")
        (tmp_path / "bank.yaml").write_text(dump_questions([entry]), encoding="utf-8")

        run("load_question_bank", "--path", str(tmp_path))

        updated = Question.objects.get(slug=coding_slug)
        assert updated.pk == original.pk
        assert updated.rubric_version == original.rubric_version + 1
        assert "a newly accepted phrase" in updated.rubric_points.first().phrases

    def test_loading_the_same_changed_file_twice_bumps_the_rubric_version_once(self, tmp_path, coding_slug):
        original = Question.objects.get(slug=coding_slug)
        entry = bank_entry(coding_slug)
        entry["rubric"][0]["weight"] = 7
        (tmp_path / "bank.yaml").write_text(dump_questions([entry]), encoding="utf-8")

        run("load_question_bank", "--path", str(tmp_path))
        output = run("load_question_bank", "--path", str(tmp_path))

        assert Question.objects.get(slug=coding_slug).rubric_version == original.rubric_version + 1
        assert "0 created, 0 updated, 1 unchanged" in output

    def test_a_bank_that_does_not_validate_is_refused_whole(self, tmp_path, coding_slug):
        # Given a bank with one good change and one broken question
        before = snapshot()
        entry = bank_entry(coding_slug)
        entry["title"] = "Changed"
        broken = new_question("broken-question")
        broken["difficulty"] = "impossible"
        (tmp_path / "bank.yaml").write_text(dump_questions([entry, broken]), encoding="utf-8")

        # When it loads, then it fails naming the broken question, and nothing changed
        with pytest.raises(CommandError, match=r"bank\.yaml:\d+ question #2 \(broken-question\)"):
            run("load_question_bank", "--path", str(tmp_path))
        assert snapshot() == before

    def test_an_empty_bank_directory_is_an_error(self, tmp_path):
        with pytest.raises(CommandError, match="no bank files"):
            run("load_question_bank", "--path", str(tmp_path))


class TestImportQuestions:
    def test_a_malformed_file_imports_nothing_and_names_the_line_and_question(self, tmp_path, coding_slug):
        # Given a file whose first question is a valid update, second a valid new one, third broken
        before = snapshot()
        changed = bank_entry(coding_slug)
        changed["title"] = "Should not be saved"
        valid_part = dump_questions([changed, new_question("brand-new-question")])
        broken = new_question("broken-question")
        del broken["rubric"]
        path = tmp_path / "upload.yaml"
        path.write_text(valid_part + dump_questions([broken]), encoding="utf-8")
        broken_line = valid_part.count("\n") + 1

        # When it is imported
        with pytest.raises(CommandError) as raised:
            run("import_questions", str(path))

        # Then the error names the file, line and question, and the database is untouched
        message = str(raised.value)
        assert "nothing imported" in message
        assert f"upload.yaml:{broken_line} question #3 (broken-question): missing keys ['rubric']" in message
        assert snapshot() == before

    def test_invalid_yaml_reports_the_line_of_the_syntax_error(self, tmp_path):
        path = tmp_path / "bad.yaml"
        path.write_text("- slug: one\n  title: [unclosed\n  type: theory\n", encoding="utf-8")
        count = Question.objects.count()

        with pytest.raises(CommandError, match=r"bad\.yaml: not valid YAML:(.|\n)*line \d+"):
            run("import_questions", str(path))
        assert Question.objects.count() == count

    def test_a_valid_file_creates_new_questions_and_reports_them(self, tmp_path):
        path = tmp_path / "new.yaml"
        path.write_text(dump_questions([new_question("brand-new-question")]), encoding="utf-8")

        output = run("import_questions", str(path))

        question = Question.objects.get(slug="brand-new-question")
        assert question.status == "published"
        phrases = list(question.rubric_points.values_list("phrases", flat=True))
        assert phrases == [p["phrases"] for p in THEORY["rubric"]]
        assert output.strip() == "1 created, 0 updated, 0 unchanged (theory: 1)"


class TestExportQuestions:
    def test_exporting_then_importing_the_bank_changes_nothing(self, tmp_path):
        # Given the whole bank exported to a file
        before = snapshot()
        path = tmp_path / "export.yaml"
        assert f"wrote {len(before)} questions" in run("export_questions", "--output", str(path))

        # When that file is imported back
        output = run("import_questions", str(path))

        # Then every question is recognised as unchanged and nothing moved
        assert output.startswith(f"0 created, 0 updated, {len(before)} unchanged")
        assert snapshot() == before

    def test_an_export_recreates_the_same_questions_in_an_empty_bank(self, tmp_path):
        # Given an export of the bank, and then an empty bank
        before = snapshot()
        path = tmp_path / "export.yaml"
        run("export_questions", "--output", str(path))
        Question.objects.all().delete()

        # When the export is imported
        output = run("import_questions", str(path))

        # Then the same questions, with the same public ids and content, exist again
        assert output.startswith(f"{len(before)} created, 0 updated, 0 unchanged")
        after = snapshot()
        for entry in before.values():
            entry["rubric_version"] = 1  # a fresh import starts the rubric history again
        assert after == before

    def test_export_to_stdout_can_be_limited_to_one_type(self):
        output = run("export_questions", "--type", "behavioral")

        slugs = {line.removeprefix("- slug: ") for line in output.splitlines() if line.startswith("- slug: ")}
        assert slugs == set(Question.objects.filter(type="behavioral").values_list("slug", flat=True))


@pytest.mark.parametrize(("field", "value", "problem"), [
    ("category", "x" * 61, "'category' must be lower-case text of at most 60 characters"),
    ("tags", [f"tag-{n:04d}-{'y' * 40}" for n in range(50)], "'tags' and 'category' together"),
])
def test_values_too_long_for_the_database_are_reported_not_crashed_on(tmp_path, field, value, problem):
    path = tmp_path / "long.yaml"
    path.write_text(dump_questions([{**new_question("too-long"), field: value}]), encoding="utf-8")

    with pytest.raises(CommandError, match=problem):
        run("import_questions", str(path))
    assert not Question.objects.filter(slug="too-long").exists()


class TestEvaluatorKnowledge:
    """The knowledge the evaluator judges truth with travels through import and export unchanged."""

    def test_every_knowledge_field_round_trips_through_import_and_export(self, tmp_path):
        # Given a file with a question of each type carrying every knowledge field
        path = tmp_path / "knowledge.yaml"
        path.write_text(dump_questions([THEORY, BEHAVIORAL, CODING]), encoding="utf-8")
        run("import_questions", str(path))

        # When they are exported again
        exported = {q["slug"]: q for q in yaml.safe_load(run("export_questions")) if q["slug"].startswith("knowl")}

        # Then each comes back as it went in
        for original in (THEORY, BEHAVIORAL, CODING):
            assert normalise(exported[original["slug"]]) == normalise(original)
        coding = Question.objects.get(slug=CODING["slug"])
        assert (coding.complexity_time, coding.complexity_space) == ("O(1)", "O(1)")
        assert list(coding.test_cases.values_list("edge_case", flat=True)) == [False] * 5 + [True]

    @pytest.mark.parametrize("change", ["misconception", "claim", "red_flag", "reference_answer", "aspect"])
    def test_a_change_to_the_knowledge_bumps_the_rubric_version(self, tmp_path, change):
        path = tmp_path / "knowledge.yaml"
        path.write_text(dump_questions([THEORY, BEHAVIORAL]), encoding="utf-8")
        run("import_questions", str(path))
        theory, behavioral = knowledge_entry(THEORY), knowledge_entry(BEHAVIORAL)
        if change == "misconception":
            theory["misconceptions"][0]["point"] = 2
        elif change == "claim":
            theory["rubric"][1]["claims"].append("Merge sort copies the halves into a second array")
        elif change == "red_flag":
            behavioral["red_flags"][0]["why"] = "does the work for them"
        elif change == "reference_answer":
            theory["reference_answer"] += " Both are comparison sorts."
        else:
            behavioral["rubric"][0]["aspect"] = "action"
        versions = dict(Question.objects.filter(slug__startswith="knowl").values_list("slug", "rubric_version"))
        path.write_text(dump_questions([theory, behavioral]), encoding="utf-8")

        run("import_questions", str(path))

        after = dict(Question.objects.filter(slug__startswith="knowl").values_list("slug", "rubric_version"))
        changed = BEHAVIORAL["slug"] if change in ("red_flag", "aspect") else THEORY["slug"]
        assert after == {**versions, changed: versions[changed] + 1}
