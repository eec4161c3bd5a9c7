"""Session shapes on the wire (docs/api.md, "Sessions"): input serializers for what clients send, output serializers
for what every door shows. REST, the socket's events and the pages all serialize with these, and the OpenAPI
components are generated from them, so the docs and the doors cannot drift apart."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cloudinterview.api.ids import ID_MAX_LENGTH
from cloudinterview.api.responses import BoundedListField, StrictSerializer
from cloudinterview.api.schema import JsonValueField, stored_json
from cloudinterview.choices import RUNNABLE_LANGUAGES, Difficulty, Language, Mode
from cloudinterview.choices import QuestionType as QuestionTypeChoices
from domain.questions import QuestionType
from domain.verdicts import CASE_STATUSES, VERDICTS
from questionbank.markdown import render_markdown
from questionbank.serializers import CodingFieldsOutput

from .models import Answer, AnswerStatus, InterviewSession, PlanStatus, SessionQuestion, SessionStatus
from .selectors import FOLLOW_UP_SUFFIX, QuestionPresented, answer_next_action, elapsed_minutes, shown_slots

NEXT_ACTION_TYPES = ["intro", "next_question", "follow_up", "await_evaluation", "complete"]
CHALLENGE_STATUS = {PlanStatus.PRESENTED: "in_progress", PlanStatus.ANSWERED: "submitted",
                    PlanStatus.SKIPPED: "skipped"}
CODING_CHALLENGE_STATUSES = list(CHALLENGE_STATUS.values())
EVALUATOR_PROVIDERS = ["offline", "anthropic"]
SENTIMENTS = ["positive", "neutral", "negative"]

# --- Input --------------------------------------------------------------------------------------------------


class SessionCreateInput(StrictSerializer):
    mode = serializers.ChoiceField(choices=Mode.choices)
    jobType = serializers.CharField(source="job_type", max_length=150, required=False)
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, required=False)
    duration = serializers.IntegerField(min_value=5, max_value=180, required=False)
    language = serializers.ChoiceField(
        choices=RUNNABLE_LANGUAGES, required=False,
        error_messages={"invalid_choice": f'"{{input}}" cannot be run in a session; the languages that run are: '
                                          f'{", ".join(RUNNABLE_LANGUAGES)} (GET /v1/api/languages).'})
    includeCoding = serializers.BooleanField(source="include_coding", required=False)
    topics = BoundedListField(max_items=10, max_length=60, required=False)


class CodeSubmissionInput(StrictSerializer):
    language = serializers.ChoiceField(choices=Language.choices)
    code = serializers.CharField(allow_blank=True, trim_whitespace=False)
    approachExplanation = serializers.CharField(source="approach", allow_blank=True, trim_whitespace=False,
                                                required=False, default="")


class AnswerInput(StrictSerializer):
    answerText = serializers.CharField(source="text", allow_blank=True, trim_whitespace=False, required=False,
                                       default="")
    codeSubmission = CodeSubmissionInput(source="code_submission", required=False)
    responseTime = serializers.IntegerField(source="response_time", min_value=0, max_value=86400, required=False)
    questionId = serializers.CharField(
        source="question_id", max_length=ID_MAX_LENGTH + len(FOLLOW_UP_SUFFIX), required=False,
        help_text="The prompt this answers: the presented question's questionId, or the follow-up's "
                  "(nextAction.questionId, `<questionId>-followup`). When given and not the prompt awaiting an "
                  "answer: 409 INVALID_STATE, nothing recorded.")


class RunCodeInput(StrictSerializer):
    language = serializers.ChoiceField(choices=Language.choices)
    code = serializers.CharField(allow_blank=False, trim_whitespace=False)


class RunInput(StrictSerializer):
    codeSubmission = RunCodeInput(source="code_submission")


def answer_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Flatten the validated answer body into answer_submit's keyword arguments."""
    code = data.get("code_submission") or {}
    return {"text": data.get("text", ""), "code": code.get("code", ""), "language": code.get("language", ""),
            "approach": code.get("approach", ""), "response_time": data.get("response_time"),
            "question_id": data.get("question_id")}


# --- Output: languages --------------------------------------------------------------------------------------


class LanguageOutput(serializers.Serializer):
    """A language a session may use, as the sandbox reports it."""

    openapi_description = "A language a session may use, with the runtime that runs it."

    language = serializers.ChoiceField(choices=RUNNABLE_LANGUAGES, help_text="the value for `language` fields")
    name = serializers.CharField()
    runtime = serializers.CharField(help_text="what runs the code, e.g. CPython, Node.js")
    version = serializers.CharField(help_text="the runtime's version on the sandbox workers")


# --- Output: sessions ---------------------------------------------------------------------------------------


class InterviewerOutput(serializers.Serializer):
    name = serializers.CharField()
    personality = serializers.CharField()
    experience = serializers.CharField()


class NextActionOutput(serializers.Serializer):
    """What the candidate should do next; absent keys do not apply to the action's type."""

    openapi_description = "What the candidate should do next; absent keys do not apply to the action's type."

    type = serializers.ChoiceField(choices=NEXT_ACTION_TYPES)
    message = serializers.CharField(required=False)
    messageHtml = serializers.CharField(required=False, help_text="follow_up only: the follow-up as sanitised HTML "
                                                                  "(its Markdown rendered once, on the server)")
    estimatedTime = serializers.IntegerField(required=False)
    maxResponseTime = serializers.IntegerField(required=False)
    questionId = serializers.CharField(required=False, help_text="follow_up only: the follow-up's own id, to send "
                                                                 "back as the answer's questionId")
    isFollowUp = serializers.BooleanField(required=False, help_text="follow_up only: true")
    acceptsCode = serializers.BooleanField(required=False, help_text="follow_up only: true when it follows code that "
                                           "did not pass every case; corrected code sent with the answer is run "
                                           "and scored (docs/api.md, \"Fixing code in the follow-up\")")


class SessionOutput(serializers.Serializer):
    """What every session shape carries (creation, detail, the socket's snapshot); expects session_with_plan."""

    sessionId = serializers.CharField(source="public_id")
    mode = serializers.ChoiceField(choices=Mode.choices)
    jobType = serializers.CharField(source="job_type")
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    language = serializers.ChoiceField(choices=Language.choices)
    includeCoding = serializers.BooleanField(source="include_coding")
    topics = serializers.ListField(child=serializers.CharField())
    createdAt = serializers.DateTimeField(source="created_at")
    estimatedDuration = serializers.IntegerField(source="planned_duration")
    questionCount = serializers.SerializerMethodField()
    aiInterviewer = stored_json(InterviewerOutput(), source="interviewer")

    def get_questionCount(self, session: InterviewSession) -> int:  # noqa: N802
        return len(session.plan.all())


class PlanItemOutput(serializers.Serializer):
    questionId = serializers.CharField(source="question.public_id")
    type = serializers.ChoiceField(source="question.type", choices=QuestionTypeChoices.choices)
    title = serializers.CharField(source="question.title")
    text = serializers.CharField(source="question.description")
    status = serializers.ChoiceField(choices=[PlanStatus.PRESENTED, PlanStatus.ANSWERED, PlanStatus.SKIPPED])
    presentedAt = serializers.DateTimeField(source="presented_at", allow_null=True)
    answeredAt = serializers.DateTimeField(source="answered_at", allow_null=True)
    responseTime = serializers.IntegerField(source="response_time", allow_null=True)


class CodingChallengeOutput(serializers.Serializer):
    """The current or latest coding question of the plan."""

    openapi_description = "The session's current or latest coding question."

    challengeId = serializers.CharField(source="public_id")
    title = serializers.CharField(source="question.title")
    description = serializers.CharField(source="question.description")
    difficulty = serializers.ChoiceField(source="question.difficulty", choices=Difficulty.choices)
    status = serializers.SerializerMethodField()
    startedAt = serializers.DateTimeField(source="presented_at", allow_null=True)
    timeSpent = serializers.SerializerMethodField(help_text="seconds")

    @extend_schema_field(serializers.ChoiceField(choices=CODING_CHALLENGE_STATUSES))
    def get_status(self, slot: SessionQuestion) -> str:
        return CHALLENGE_STATUS.get(slot.status, slot.status)

    def get_timeSpent(self, slot: SessionQuestion) -> int:  # noqa: N802
        if slot.presented_at is None:
            return 0
        return int(((slot.answered_at or timezone.now()) - slot.presented_at).total_seconds())


class SessionDetailOutput(SessionOutput):
    startedAt = serializers.DateTimeField(source="started_at", allow_null=True)
    completedAt = serializers.DateTimeField(source="completed_at", allow_null=True)
    currentQuestionIndex = serializers.IntegerField(source="current_index")
    duration = serializers.SerializerMethodField(help_text="minutes: planned, elapsed while running, actual once "
                                                           "completed")
    overallScore = serializers.FloatField(source="overall_score", allow_null=True)
    questions = serializers.SerializerMethodField()
    codingChallenge = serializers.SerializerMethodField()

    def get_duration(self, session: InterviewSession) -> int:
        return elapsed_minutes(session)

    @extend_schema_field(PlanItemOutput(many=True))
    def get_questions(self, session: InterviewSession) -> list[dict[str, Any]]:
        return PlanItemOutput(shown_slots(session), many=True).data

    @extend_schema_field(CodingChallengeOutput(allow_null=True))
    def get_codingChallenge(self, session: InterviewSession) -> dict[str, Any] | None:  # noqa: N802
        coding = [slot for slot in shown_slots(session) if slot.question.type == QuestionType.CODING]
        return CodingChallengeOutput(coding[-1]).data if coding else None


# --- Output: questions and progress -------------------------------------------------------------------------


class PresentedQuestionOutput(CodingFieldsOutput):
    """A question as presented in an interview (expects questionbank.selectors.question_related)."""

    questionId = serializers.CharField(source="public_id")
    type = serializers.ChoiceField(choices=QuestionTypeChoices.choices)
    category = serializers.CharField()
    difficulty = serializers.ChoiceField(choices=Difficulty.choices)
    title = serializers.CharField()
    text = serializers.CharField(source="description")
    textHtml = serializers.SerializerMethodField(help_text="`text` (Markdown) as sanitised HTML, rendered as the "
                                                           "question page renders it")
    estimatedTime = serializers.IntegerField(source="estimated_time", help_text="minutes; also the question's time "
                                                                                "limit (docs/api.md, \"Time limits\")")
    hints = serializers.SerializerMethodField()

    def get_textHtml(self, question: Any) -> str:  # noqa: N802
        return str(render_markdown(question.description))
    followUpQuestions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_hints(self, question: Any) -> list[str]:
        return [h.text for h in question.hints.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_followUpQuestions(self, question: Any) -> list[str]:  # noqa: N802
        return [f.text for f in question.follow_ups.all()]


class ProgressOutput(serializers.Serializer):
    currentQuestionIndex = serializers.IntegerField(source="current_index")
    remainingQuestions = serializers.IntegerField(source="remaining_questions")
    estimatedTimeRemaining = serializers.IntegerField(source="remaining_minutes", help_text="minutes")


class QuestionNextOutput(serializers.Serializer):
    """`questions/next`: the question and the progress, or question null with nextAction complete."""

    question = PresentedQuestionOutput(allow_null=True)
    session = ProgressOutput(source="progress")
    nextAction = NextActionOutput(source="next_action", required=False)

    def to_representation(self, instance: QuestionPresented) -> dict[str, Any]:
        body = super().to_representation(instance)
        if body.get("nextAction") is None:
            body.pop("nextAction", None)
        return body


class EventProgressOutput(ProgressOutput):
    """REST's progress, plus the plan's size that the socket sent before it had REST's shape."""

    totalQuestions = serializers.IntegerField(source="question_count", help_text="Deprecated: equals "
                                              "currentQuestionIndex + remainingQuestions; will be removed in v2.")


class QuestionPresentedEventOutput(QuestionNextOutput):
    """The socket's `question_presented` data: the REST body of `questions/next` (with the deprecated
    `session.totalQuestions` beside REST's progress)."""

    session = EventProgressOutput(source="progress")


# --- Output: answers ----------------------------------------------------------------------------------------


class ScoresOutput(serializers.Serializer):
    completeness = serializers.IntegerField(min_value=0, max_value=100)
    correctness = serializers.IntegerField(min_value=0, max_value=100)
    communication = serializers.IntegerField(min_value=0, max_value=100)


class TestCaseResultOutput(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=CASE_STATUSES)
    timeMs = serializers.FloatField(allow_null=True, help_text="milliseconds, measured inside the sandbox")
    hidden = serializers.BooleanField()
    input = JsonValueField(required=False, help_text="visible cases only: the arguments")
    expected = JsonValueField(required=False, help_text="visible cases only")
    actual = JsonValueField(required=False, help_text="visible cases only: what the code returned")
    error = serializers.CharField(required=False)


class TestResultsOutput(serializers.Serializer):
    passed = serializers.IntegerField()
    total = serializers.IntegerField()
    verdict = serializers.ChoiceField(choices=VERDICTS)
    cases = TestCaseResultOutput(many=True)
    message = serializers.CharField(required=False)


class EvaluatorOutput(serializers.Serializer):
    provider = serializers.ChoiceField(choices=EVALUATOR_PROVIDERS)
    model = serializers.CharField()
    rubricVersion = serializers.IntegerField()
    promptHash = serializers.CharField()
    fallback = serializers.BooleanField()


class AnswerOutput(serializers.Serializer):
    """An answer; while it is being evaluated, only its first four fields, whether it answers the follow-up and
    whether it was late."""

    openapi_description = ("An answer. While it is `evaluating`, only answerId, questionId, status, submittedAt and "
                           "isFollowUp (and late, when it was) are present.")

    answerId = serializers.CharField(source="public_id")
    questionId = serializers.CharField(source="slot.question.public_id")
    status = serializers.ChoiceField(choices=AnswerStatus.choices)
    submittedAt = serializers.DateTimeField(source="submitted_at")
    responseTime = serializers.IntegerField(source="response_time", allow_null=True, required=False)
    isFollowUp = serializers.BooleanField(source="is_follow_up", required=False)
    late = serializers.BooleanField(required=False, help_text="submitted after its prompt's time limit (docs/api.md, "
                                                              "\"Time limits\"); scored as usual")
    scores = stored_json(ScoresOutput(allow_null=True), required=False)
    testResults = stored_json(TestResultsOutput(allow_null=True), source="test_results", required=False)
    evaluator = stored_json(EvaluatorOutput(allow_null=True), required=False)
    evaluatedAt = serializers.DateTimeField(source="evaluated_at", allow_null=True, required=False)

    EVALUATING_FIELDS = ("answerId", "questionId", "status", "submittedAt", "isFollowUp", "late")

    def to_representation(self, answer: Answer) -> dict[str, Any]:
        body = super().to_representation(answer)
        if answer.status == AnswerStatus.EVALUATING:
            return {key: body[key] for key in self.EVALUATING_FIELDS}
        return body


class AiResponseOutput(serializers.Serializer):
    responseId = serializers.CharField(source="public_id")
    content = serializers.CharField()
    contentHtml = serializers.SerializerMethodField(help_text="`content` as sanitised HTML (Markdown rendered once, "
                                                              "on the server)")
    sentiment = serializers.ChoiceField(choices=SENTIMENTS)
    followUp = serializers.SerializerMethodField()
    followUpQuestion = serializers.SerializerMethodField()
    followUpQuestionHtml = serializers.SerializerMethodField(help_text="`followUpQuestion` as sanitised HTML")

    def get_contentHtml(self, response: Any) -> str:  # noqa: N802
        return str(render_markdown(response.content))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_followUpQuestionHtml(self, response: Any) -> str | None:  # noqa: N802
        return str(render_markdown(response.follow_up_question)) if response.follow_up_question else None

    def get_followUp(self, response: Any) -> bool:  # noqa: N802
        return bool(response.follow_up_question)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_followUpQuestion(self, response: Any) -> str | None:  # noqa: N802
        return response.follow_up_question or None


class AnswerResultOutput(serializers.Serializer):
    """The body of a 201 answer, of `GET answers/{id}` and of the socket's `answer_evaluated`; while the answer is
    being evaluated, only the answer and nextAction await_evaluation (the 202 form). Expects answer_related."""

    answer = AnswerOutput(source="*")
    aiResponse = AiResponseOutput(source="response", allow_null=True, required=False)
    nextAction = serializers.SerializerMethodField()

    @extend_schema_field(NextActionOutput)
    def get_nextAction(self, answer: Answer) -> dict[str, Any]:  # noqa: N802
        return NextActionOutput(answer_next_action(answer)).data

    def to_representation(self, answer: Answer) -> dict[str, Any]:
        if answer.status == AnswerStatus.EVALUATING:
            return {"answer": AnswerOutput(answer).data, "nextAction": self.get_nextAction(answer)}
        return super().to_representation(answer)


class CodeSubmissionOutput(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)
    code = serializers.CharField()
    approachExplanation = serializers.CharField(source="approach")


class ConversationAnswerOutput(AnswerOutput):
    """An answer in the conversation: REST's answer shape with what the candidate sent."""

    answerText = serializers.CharField(source="text")
    codeSubmission = serializers.SerializerMethodField()

    @extend_schema_field(CodeSubmissionOutput(allow_null=True))
    def get_codeSubmission(self, answer: Answer) -> dict[str, Any] | None:  # noqa: N802
        return CodeSubmissionOutput(answer).data if answer.code else None

    def to_representation(self, answer: Answer) -> dict[str, Any]:
        body = super().to_representation(answer)
        return {**body, "answerText": answer.text, "codeSubmission": self.get_codeSubmission(answer)}


class ConversationReplyOutput(serializers.Serializer):
    answer = ConversationAnswerOutput(source="*")
    aiResponse = AiResponseOutput(source="response", allow_null=True, default=None)


class ConversationTurnOutput(serializers.Serializer):
    """One presented question, with every answer to it (the main one, a failed one, the follow-up's) in order."""

    questionId = serializers.CharField(source="question.public_id")
    position = serializers.IntegerField()
    type = serializers.CharField(source="question.type")
    title = serializers.CharField(source="question.title")
    status = serializers.ChoiceField(choices=[PlanStatus.PRESENTED, PlanStatus.ANSWERED, PlanStatus.SKIPPED])
    presentedAt = serializers.DateTimeField(source="presented_at", allow_null=True)
    replies = ConversationReplyOutput(source="answers", many=True)


class SessionStateOutput(serializers.Serializer):
    """The socket's `session_state` snapshot."""

    session = SessionDetailOutput()
    currentQuestion = PresentedQuestionOutput(source="current_question", allow_null=True)
    pendingFollowUp = serializers.CharField(source="pending_follow_up", allow_null=True)
    pendingFollowUpHtml = serializers.SerializerMethodField(help_text="`pendingFollowUp` as sanitised HTML")
    promptDueAt = serializers.DateTimeField(source="prompt_due_at", allow_null=True, help_text="when the prompt "
                                            "awaiting an answer is due (docs/api.md, \"Time limits\"); null "
                                            "when none awaits")
    serverTime = serializers.DateTimeField(source="server_time", help_text="the server's clock when the snapshot "
                                           "was taken, so a client can count down to promptDueAt whatever its own "
                                           "clock says")
    lastEvaluation = AnswerResultOutput(source="last_evaluation", allow_null=True)
    conversation = ConversationTurnOutput(many=True, help_text="every presented question with its answers and the "
                                                               "interviewer's replies, in order")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pendingFollowUpHtml(self, state: Any) -> str | None:  # noqa: N802
        return str(render_markdown(state.pending_follow_up)) if state.pending_follow_up else None
