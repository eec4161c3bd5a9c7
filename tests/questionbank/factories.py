import factory

from questionbank.models import FollowUp, Hint, Misconception, Question, RubricPoint, Signature, TestCase


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    slug = factory.Sequence(lambda n: f"factory-question-{n}")
    type = "theory"
    category = "testing"
    difficulty = "medium"
    title = factory.Sequence(lambda n: f"Factory question {n}")
    description = "Explain the thing."
    estimated_time = 10
    tags = factory.LazyFunction(lambda: ["factory"])
    status = "published"


class HintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hint

    question = factory.SubFactory(QuestionFactory)
    text = "Think about it."


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    question = factory.SubFactory(QuestionFactory)
    text = "Why?"


class RubricPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricPoint

    question = factory.SubFactory(QuestionFactory)
    point = "Mentions the key idea"
    weight = 1
    phrases = factory.LazyFunction(lambda: ["key idea"])


def coding_question(**kwargs) -> Question:
    """A small coding question with two visible and two hidden cases, in both languages, and the evaluator's
    knowledge (reference answer, claims, a misconception, bounds, an edge case) that candidates never see."""
    question = QuestionFactory(type="coding", category="algorithms", complexity_time="O(1)", complexity_space="O(1)",
                               reference_answer="Reference: one addition of the two arguments, nothing more.",
                               **kwargs)
    Misconception.objects.create(question=question, claim="Adding two numbers needs a loop over the digits",
                                 correction="Adding two numbers is a single operation", point=1)
    Signature.objects.create(question=question, language="python", function_name="add",
                             starter_code="def add(a, b):\n    pass\n", solution="def add(a, b):\n    return a + b\n")
    Signature.objects.create(question=question, language="javascript", function_name="add",
                             starter_code="function add(a, b) {\n}\n",
                             solution="function add(a, b) {\n  return a + b;\n}\n")
    for i, (args, expected, hidden) in enumerate([([1, 2], 3, False), ([0, 0], 0, False),
                                                  ([-5, 5], 0, True), ([31337, 1], 31338, True)]):
        TestCase.objects.create(question=question, position=i, name=f"case {i}", args=args, expected=expected,
                                hidden=hidden, edge_case=i == 2)
    RubricPointFactory(question=question, point="States complexity", phrases=["constant time", "o(1)"],
                       claims=["It takes the same time whatever the numbers are"], aspect="complexity")
    return question
