"""The question API: filters, facets, pagination, random, detail, and what never leaks."""

import json

import pytest

from questionbank.models import Question
from tests.questionbank.factories import FollowUpFactory, HintFactory, QuestionFactory, coding_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_bank(db):
    """Questions in categories and tags of their own, so filters can be checked exactly."""
    return {
        "a": QuestionFactory(slug="zz-a", type="theory", difficulty="easy", category="zz cat one",
                             tags=["zz-alpha", "zz-shared"], title="Quorum reads"),
        "b": QuestionFactory(slug="zz-b", type="behavioral", difficulty="hard", category="zz cat one",
                             tags=["zz-beta"], description="Talk about a quorum of people"),
        "c": QuestionFactory(slug="zz-c", type="theory", difficulty="hard", category="zz cat two",
                             tags=["zz-shared", "Zz Gamma"]),
        "draft": QuestionFactory(slug="zz-draft", type="theory", difficulty="easy", category="zz cat one",
                                 tags=["zz-alpha"], status="draft"),
    }


def ids(response) -> set[str]:
    return {q["questionId"] for q in response.json()["questions"]}


def test_list_has_the_seed_shape(auth_client):
    body = auth_client.get("/v1/api/questions?limit=3").json()

    assert body["success"] is True
    assert set(body) == {"success", "questions", "pagination", "filters"}
    assert set(body["questions"][0]) == {"questionId", "type", "category", "difficulty", "title", "estimatedTime",
                                         "tags", "solvedCount", "successRate"}
    assert body["pagination"] == {"total": Question.objects.filter(status="published").count(), "limit": 3,
                                  "offset": 0, "hasMore": True}
    assert set(body["filters"]) == {"types", "difficulties", "categories", "topics"}


@pytest.mark.parametrize(("query", "expected"), [
    ("category=zz cat one", {"a", "b"}),
    ("category=ZZ CAT TWO", {"c"}),
    ("topics=zz-alpha", {"a"}),
    ("topics=zz gamma", {"c"}),
    ("topics=zz-beta,zz-gamma", {"b", "c"}),
    ("topics=zz-cat-two", {"c"}),
    ("topics=zz-shared&type=theory", {"a", "c"}),
    ("topics=zz-shared&difficulty=hard", {"c"}),
    ("category=zz cat one&type=behavioral&difficulty=hard", {"b"}),
    ("q=quorum&topics=zz-alpha,zz-beta", {"a", "b"}),
])
def test_filters_alone_and_combined(auth_client, small_bank, query, expected):
    response = auth_client.get(f"/v1/api/questions?{query}&limit=100")

    assert response.status_code == 200
    assert ids(response) == {small_bank[k].public_id for k in expected}


def test_type_and_difficulty_filters_alone(auth_client):
    coding = auth_client.get("/v1/api/questions?type=coding&limit=100").json()
    hard = auth_client.get("/v1/api/questions?difficulty=hard&limit=100").json()

    assert coding["questions"]
    assert all(q["type"] == "coding" for q in coding["questions"])
    assert hard["questions"]
    assert all(q["difficulty"] == "hard" for q in hard["questions"])
    assert coding["pagination"]["total"] == Question.objects.filter(status="published", type="coding").count()


def test_facets_come_from_the_published_bank(auth_client, small_bank):
    filters = auth_client.get("/v1/api/questions").json()["filters"]

    assert filters["types"] == ["behavioral", "coding", "system_design", "theory"]
    assert filters["difficulties"] == ["easy", "medium", "hard"]
    assert {"zz cat one", "zz cat two", "algorithms"} <= set(filters["categories"])
    assert {"zz-alpha", "zz-shared"} <= set(filters["topics"])


def test_facets_follow_a_change_to_the_bank(auth_client, small_bank):
    auth_client.get("/v1/api/questions")
    from questionbank.services import questions_set_status

    questions_set_status(queryset=Question.objects.filter(category="zz cat two"), status="archived")

    assert "zz cat two" not in auth_client.get("/v1/api/questions").json()["filters"]["categories"]


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=-1", "limit=abc", "offset=-1", "type=quiz",
                                   "difficulty=extreme", "colour=blue"])
def test_bad_query_parameters_are_400(auth_client, query):
    response = auth_client.get(f"/v1/api/questions?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_pagination_edges(auth_client):
    total = Question.objects.filter(status="published").count()

    last = auth_client.get(f"/v1/api/questions?limit=100&offset={total - 1}").json()
    beyond = auth_client.get(f"/v1/api/questions?limit=100&offset={total + 5}").json()
    full = auth_client.get("/v1/api/questions?limit=100").json()

    assert len(last["questions"]) == 1
    assert last["pagination"]["hasMore"] is False
    assert beyond["questions"] == []
    assert beyond["pagination"]["total"] == total
    assert len(full["questions"]) == 100
    assert full["pagination"]["hasMore"] is True


def test_pages_do_not_overlap(auth_client):
    first = ids(auth_client.get("/v1/api/questions?limit=20&offset=0"))
    second = ids(auth_client.get("/v1/api/questions?limit=20&offset=20"))

    assert len(first) == len(second) == 20
    assert not first & second


@pytest.mark.parametrize("limit", [1, 100])
def test_list_uses_a_fixed_number_of_queries(auth_client, django_assert_max_num_queries, limit):
    auth_client.get("/v1/api/questions?limit=1")  # warm the facet cache; its cost is separate
    with django_assert_max_num_queries(4):
        response = auth_client.get(f"/v1/api/questions?limit={limit}")

    assert len(response.json()["questions"]) == limit


def test_detail_has_the_seed_shape_and_coding_fields(auth_client):
    question = coding_question()
    HintFactory(question=question, text="first hint")
    FollowUpFactory(question=question, text="what about overflow?")

    body = auth_client.get(f"/v1/api/questions/{question.public_id}").json()["question"]

    assert {"questionId", "type", "category", "difficulty", "title", "description", "estimatedTime", "tags",
            "hints", "followUpQuestions", "similarQuestions", "solvedCount", "successRate", "createdAt",
            "updatedAt", "functionName", "starterCode", "examples"} == set(body)
    assert body["functionName"] == {"python": "add", "javascript": "add"}
    assert body["starterCode"]["python"].startswith("def add")
    assert body["examples"] == [{"input": [1, 2], "expected": 3}, {"input": [0, 0], "expected": 0}]
    assert body["hints"] == ["first hint"]
    assert body["followUpQuestions"] == ["what about overflow?"]


def test_no_hidden_field_leaks_anywhere(auth_client):
    question = coding_question()

    responses = [
        auth_client.get(f"/v1/api/questions/{question.public_id}"),
        auth_client.get("/v1/api/questions?category=algorithms&limit=100"),
        auth_client.get("/v1/api/questions/random?count=20&type=coding"),
    ]

    for response in responses:
        text = json.dumps(response.json())
        assert "31337" not in text
        assert "31338" not in text
        assert "return a + b" not in text  # reference solution
        assert "constant time" not in text  # rubric phrase
        assert "States complexity" not in text  # rubric point
        assert "rubric" not in text.lower()
        for secret in ("Reference:", "loop over the digits", "single operation", "whatever the numbers are",
                       "edge_case", "edgeCase", "misconception", "referenceAnswer"):
            assert secret not in text


def test_detail_uses_a_fixed_number_of_queries(auth_client, django_assert_max_num_queries):
    question = Question.objects.filter(type="coding", status="published").first()

    with django_assert_max_num_queries(7):
        assert auth_client.get(f"/v1/api/questions/{question.public_id}").status_code == 200


def test_similar_questions_share_tags_and_category(auth_client, small_bank):
    body = auth_client.get(f"/v1/api/questions/{small_bank['a'].public_id}").json()["question"]

    assert body["similarQuestions"][:2] == [small_bank["c"].public_id, small_bank["b"].public_id]
    assert small_bank["draft"].public_id not in body["similarQuestions"]
    assert small_bank["a"].public_id not in body["similarQuestions"]


def test_draft_and_archived_questions_are_404_for_candidates(auth_client, small_bank):
    archived = QuestionFactory(status="archived")

    for question in (small_bank["draft"], archived):
        response = auth_client.get(f"/v1/api/questions/{question.public_id}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "NOT_FOUND"
    assert small_bank["draft"].public_id not in ids(auth_client.get("/v1/api/questions?category=zz cat one"))


def test_bundled_question_ids_are_stable_hashes_of_the_slug(db):
    question = Question.objects.get(slug="merge-overlapping-intervals")

    assert question.public_id.startswith("q_")
    assert len(question.public_id) >= 14
    assert "merge" not in question.public_id
    from cloudinterview.api.ids import stable_public_id

    assert question.public_id == stable_public_id("q", "merge-overlapping-intervals")


class TestRandom:
    def test_seed_shape_and_default_count(self, auth_client):
        body = auth_client.get("/v1/api/questions/random").json()

        assert len(body["questions"]) == 5
        assert set(body["questions"][0]) == {"questionId", "type", "difficulty", "title", "estimatedTime"}

    @pytest.mark.parametrize("count", [0, 21, -3])
    def test_count_out_of_bounds_is_400(self, auth_client, count):
        assert auth_client.get(f"/v1/api/questions/random?count={count}").status_code == 400

    def test_bounds_are_inclusive(self, auth_client):
        assert len(auth_client.get("/v1/api/questions/random?count=1").json()["questions"]) == 1
        assert len(auth_client.get("/v1/api/questions/random?count=20").json()["questions"]) == 20

    def test_no_duplicates_and_filters_apply(self, auth_client):
        questions = auth_client.get("/v1/api/questions/random?count=20&type=theory&difficulty=hard").json()[
            "questions"]

        assert len({q["questionId"] for q in questions}) == len(questions) == 20
        assert all(q["type"] == "theory" and q["difficulty"] == "hard" for q in questions)

    def test_fewer_matches_than_count_returns_all_of_them(self, auth_client, small_bank):
        body = auth_client.get("/v1/api/questions/random?count=20&topics=zz-shared").json()

        assert {q["questionId"] for q in body["questions"]} == {small_bank["a"].public_id,
                                                                small_bank["c"].public_id}

    def test_every_matching_question_can_be_drawn(self, auth_client, small_bank, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "questions": "1000/min"}
        matching = {small_bank[k].public_id for k in ("a", "b", "c")}
        seen: set[str] = set()
        for _ in range(60):
            seen |= ids(auth_client.get("/v1/api/questions/random?count=1&topics=zz-alpha,zz-beta,zz-shared"))

        assert seen == matching
