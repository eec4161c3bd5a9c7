import pytest

from sandbox.compare import values_match


@pytest.mark.parametrize(
    ("actual", "expected"),
    [([0, 1], [0, 1]), (1, 1.0), ({"a": [1, "x"]}, {"a": [1, "x"]}), (None, None), ("s", "s")],
)
def test_exact_accepts_equal_json_values(actual, expected):
    assert values_match(actual, expected)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(True, 1), (1, True), ("1", 1), ([0, 1], [1, 0]), ({"a": 1}, {"a": 1, "b": 2}), (None, 0), ([1], [1, 2])],
)
def test_exact_rejects_values_python_would_call_equal_or_that_differ(actual, expected):
    assert not values_match(actual, expected)


def test_unordered_ignores_top_level_order_only():
    assert values_match([[1, 2], [3, 4]], [[3, 4], [1, 2]], "unordered")
    assert not values_match([[2, 1], [3, 4]], [[3, 4], [1, 2]], "unordered")


def test_unordered_counts_duplicates():
    assert not values_match([1, 1, 2], [1, 2, 2], "unordered")
    assert values_match([2, 1.0, 1], [1, 1, 2], "unordered")


def test_unordered_distinguishes_booleans_from_numbers():
    assert not values_match([True], [1], "unordered")


def test_float_uses_tolerance_recursively():
    assert values_match([0.1 + 0.2, {"x": 1.0000001}], [0.3, {"x": 1.0}], "float")
    assert not values_match([0.31], [0.3], "float")
    assert values_match(0.31, 0.3, "float", tolerance=0.05)


def test_float_still_rejects_non_numbers():
    assert not values_match("0.3", 0.3, "float")
    assert not values_match(True, 1.0, "float")


def test_unknown_mode_is_an_error():
    with pytest.raises(ValueError, match="compare mode"):
        values_match(1, 1, "fuzzy")
