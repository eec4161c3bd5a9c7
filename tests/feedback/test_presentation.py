"""The report's numbers come from one place (feedback.presentation), rounded once, and never contradict each
other or the interviewer's written summary (issue 14, item 9)."""

import pytest

from feedback.presentation import RANK_MINIMUM, band, ordinal, ranking, report_page, report_present, shown
from feedback.services import feedback_generate, feedback_open
from interviews.models import Answer
from tests.feedback.helpers import completed_session


def question(position: int, completeness: float, correctness: float, communication: float) -> dict:
    scores = {"completeness": completeness, "correctness": correctness, "communication": communication}
    return {"position": position, "title": f"Question {position}", "type": "theory", "category": "general",
            "status": "answered", "score": sum(scores.values()) / 3, "scores": scores}


def context(questions: list[dict], *, communication: float, accuracy: float = 0.0, report: dict | None = None,
            unreached: int = 0) -> dict:
    return {"session": {"overall_score": 60.0, "accuracy": accuracy, "communication_score": communication,
                        "problem_solving_score": 58.0},
            "questions": questions, "unreached": unreached, "feedback_ready": report is not None, "report": report}


def report(**overrides) -> dict:
    return {"summary": "", "overall_score": 60.0, "strengths": [], "improvement_areas": [], "recommendations": [],
            "percentile_rank": 50.0, "benchmark": {"role": "All roles", "categoryAverage": 69.1,
                                                   "topQuartile": 69.1, "difference": 0.0, "sampleSize": 1},
            "skills": [{"skill": "Technical Communication", "score": 46.5, "level": "beginner", "confidence": 0.83,
                        "evidence": ['"I would use a hash map" (Question 1)'], "growthTrajectory": "stable"}],
            **overrides}


class TestRounding:
    def test_a_score_is_rounded_once_as_the_written_summary_rounds_it(self):
        assert [shown(64.5), shown(65.5), shown(64.45), shown(46.5), shown(None)] == [64, 66, 64, 46, None]

    def test_the_colour_band_follows_the_shown_number(self):
        assert [band(79.6), band(shown(79.6)), band(49), band(50), band(None)] == ["mid", "high", "low", "mid",
                                                                                  "none"]

    def test_ordinals_read_as_english(self):
        assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 50, 101)] == [
            "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "50th", "101st"]


class TestReportPresent:
    def test_a_question_scoring_64_point_5_shows_64_everywhere(self):
        present = report_present(context([question(1, 62, 53, 78.5)], communication=78.5), public=False)

        assert present["questions"][0]["shown"] == 64
        assert [d["value"] for d in present["questions"][0]["dimensions"]] == [62, 53, 78]

    def test_communication_is_one_number_in_the_chart_the_card_and_the_headline(self):
        questions = [question(1, 62, 53, 78.5), question(2, 40, 41, 14.5)]
        present = report_present(context(questions, communication=46.5, report=report()), public=False)

        chart = {d["label"]: d["value"] for d in present["dimensions"]}
        headline = {s["label"]: s["value"] for s in present["headline"]}
        assert chart["Communication"] == headline["Communication"] == present["skills"][0]["value"] == 46

    def test_unreached_questions_count_zero_in_the_dimension_means_as_in_the_session_scores(self):
        present = report_present(context([question(1, 60, 60, 60)], communication=30.0, unreached=1), public=False)

        assert {d["label"]: d["value"] for d in present["dimensions"]} == {
            "Completeness": 30, "Correctness": 30, "Communication": 30}
        assert present["unreached"] == 1

    def test_questions_solved_is_a_percentage_not_an_accuracy_score(self):
        present = report_present(context([question(1, 60, 53, 60)], communication=60, accuracy=0.0), public=False)

        assert present["solved"] == 0
        assert "Accuracy" not in [s["label"] for s in (present["overall"], *present["headline"])]

    def test_a_red_score_is_never_beside_nothing_to_improve(self):
        present = report_present(context([question(1, 60, 53, 60)], communication=46.5, report=report()),
                                 public=False)

        assert present["skills"][0]["band"] == "low"
        assert present["improvements"] == ["Technical Communication (46)"]

    def test_the_interviewers_own_areas_to_improve_come_first(self):
        present = report_present(context([], communication=46.5, report=report(improvement_areas=["Trade-offs"])),
                                 public=False)

        assert present["improvements"] == ["Trade-offs"]

    def test_the_share_page_leaves_out_the_evidence_quoting_the_answers(self):
        owner = report_present(context([], communication=46.5, report=report()), public=False)
        public = report_present(context([], communication=46.5, report=report()), public=True)

        assert owner["skills"][0]["evidence"] == ['"I would use a hash map" (Question 1)']
        assert public["skills"][0]["evidence"] == []


class TestRanking:
    def test_one_session_is_not_ranked_and_says_why(self):
        shown_rank = ranking(percentile=50.0, benchmark={"role": "All roles", "categoryAverage": 69.1,
                                                         "topQuartile": 69.1, "difference": 0.0, "sampleSize": 1})

        assert shown_rank["ranked"] is False
        assert shown_rank["text"] == (f"Not enough sessions yet to rank this one: 1 completed session so far, "
                                      f"ranking starts at {RANK_MINIMUM}.")

    def test_enough_sessions_give_a_percentile_with_whole_numbers(self):
        shown_rank = ranking(percentile=63.6, benchmark={"role": "Backend Engineer", "categoryAverage": 68.04,
                                                         "topQuartile": 80.5, "difference": -4.4,
                                                         "sampleSize": RANK_MINIMUM})

        assert shown_rank == {"ranked": True, "percentile": "64th", "role": "Backend Engineer", "average": 68,
                              "top_quartile": 80, "difference": "-4", "sample_size": RANK_MINIMUM}

    def test_no_comparison_at_all_shows_nothing(self):
        assert ranking(percentile=None, benchmark={"sampleSize": 0}) is None


@pytest.mark.django_db
class TestReportPage:
    def test_the_written_summary_and_the_page_agree_on_every_number(self, user):
        """A real report: the offline interviewer writes the summary from the same unrounded scores."""
        session = completed_session(user, [70.0, 60.0])
        answers = list(Answer.objects.filter(session=session).order_by("slot__position"))
        answers[0].scores = {"completeness": 62, "correctness": 53, "communication": 78.5}  # mean 64.5
        answers[1].scores = {"completeness": 45, "correctness": 41, "communication": 14.5}
        Answer.objects.bulk_update(answers, ["scores"])
        feedback_generate(feedback_id=feedback_open(session=session).public_id)
        session.refresh_from_db()

        page = report_page(session=session, public=False)

        shown_numbers = page["shown"]
        summary = page["report"]["summary"]
        assert "Strongest: General question 0 (64)" in summary
        assert f"Communication {shown_numbers['headline'][1]['value']}," in summary  # 46.5 -> 46, as the card
        assert shown_numbers["headline"][1]["value"] == shown_numbers["skills"][1]["value"] == 46
        assert [q["value"] for q in page["charts"]["questions"]] == [64, 34]
        assert "weakest: General question 1 (34)" in summary
