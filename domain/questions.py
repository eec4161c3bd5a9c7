"""The question bank's closed sets: a question's type, difficulty and status, and how a test case's returned
value is compared with the expected one (questionbank/bank/FORMAT.md)."""

from enum import StrEnum


class QuestionType(StrEnum):
    CODING = "coding"
    THEORY = "theory"
    BEHAVIORAL = "behavioral"
    SYSTEM_DESIGN = "system_design"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class QuestionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class CompareMode(StrEnum):
    EXACT = "exact"
    UNORDERED = "unordered"
    FLOAT = "float"


DEFAULT_TOLERANCE = 1e-6  # `float` comparisons, relative and absolute, unless a test case sets its own
