"""The measures of progress (docs/api.md, "Analytics"), pure functions shared by the report, the
analytics and the pages: levels from a score, the next milestone, and the trend of a series of scores."""

from collections.abc import Sequence

TREND_SLOPE = 2.0  # points per session
MILESTONES = (("intermediate", 50), ("advanced", 80), ("expert", 90))
LEVELS = ("beginner", *(level for level, _ in MILESTONES))
TRENDS = ("improving", "stable", "declining")


def skill_level(score: float) -> str:
    """Below 50 beginner, 50 to below 80 intermediate, 80 to below 90 advanced, 90 and above expert."""
    if score < 50:
        return "beginner"
    if score < 80:
        return "intermediate"
    if score < 90:
        return "advanced"
    return "expert"


def next_milestone(score: float) -> str | None:
    """The next level and the score that reaches it ("expert at 90%"); None once expert."""
    return next((f"{level} at {threshold}%" for level, threshold in MILESTONES if score < threshold), None)


def trend(scores: Sequence[float]) -> str:
    """Least-squares slope of the scores in order (x = 0, 1, 2, ...): above +2 points per session is
    improving, below -2 declining, else stable; fewer than two points is stable."""
    n = len(scores)
    if n < 2:
        return "stable"
    mean_x, mean_y = (n - 1) / 2, sum(scores) / n
    slope = (sum((x - mean_x) * (y - mean_y) for x, y in enumerate(scores))
             / sum((x - mean_x) ** 2 for x in range(n)))
    if slope > TREND_SLOPE:
        return "improving"
    if slope < -TREND_SLOPE:
        return "declining"
    return "stable"
