"""Bank entries that carry the evaluator's knowledge (bank/FORMAT.md), for validator and round-trip tests."""

import copy
from typing import Any

REFERENCE = ("Quicksort picks a pivot, partitions the array around it and sorts both sides in place; with bad "
             "pivots such as the first element of a sorted array its worst case is quadratic, although its "
             "average is n log n and its constant factors are small. Merge sort splits the array in half, sorts "
             "each half and merges them, so it always takes n log n time, needs linear extra space for the "
             "merge, and is stable, which quicksort is not. A random pivot makes the quadratic case unlikely.")

THEORY: dict[str, Any] = {
    "slug": "knowledge-quicksort-vs-merge-sort", "type": "theory", "category": "algorithms",
    "difficulty": "medium", "title": "Quicksort or merge sort?", "description": "Compare them.",
    "estimated_time": 8,
    "rubric": [
        {"point": "Quicksort's worst case is quadratic, merge sort's is n log n in every case", "weight": 4,
         "phrases": ["worst case", "quadratic", "n log n"],
         "claims": ["Quicksort can degrade to quadratic time when the pivots are bad",
                    "Merge sort always runs in n log n, even on its worst input",
                    "A sorted array with the first element as pivot makes quicksort take n squared steps"]},
        {"point": "Merge sort is stable and needs linear extra space", "weight": 2,
         "phrases": ["stable", "extra space"],
         "claims": ["Merge sort keeps equal elements in their original order",
                    "Merge sort needs an auxiliary array as big as the input"]},
    ],
    "reference_answer": REFERENCE,
    "misconceptions": [
        {"claim": "Merge sort has the quadratic worst case while quicksort is guaranteed n log n",
         "correction": "Quicksort has the quadratic worst case while merge sort is guaranteed n log n", "point": 1},
        {"claim": "Quicksort is stable", "correction": "Quicksort is not stable; merge sort is", "point": 2},
        {"claim": "Merge sort sorts in place with constant extra space",
         "correction": "Merge sort needs linear extra space for merging", "point": 2},
    ],
}

BEHAVIORAL: dict[str, Any] = {
    "slug": "knowledge-helped-a-teammate", "type": "behavioral", "category": "teamwork", "difficulty": "easy",
    "title": "Helping a teammate", "description": "Tell me about a time you helped a struggling teammate.",
    "estimated_time": 6,
    "rubric": [
        {"point": "Noticed the struggle and asked privately", "phrases": ["noticed", "asked"], "aspect": "situation",
         "claims": ["I noticed he had been stuck on one ticket for a week",
                    "I spoke with her in private about what was hard"]},
        {"point": "Paired with the teammate and let them drive", "phrases": ["paired", "pair"], "aspect": "action",
         "claims": ["I sat with him every morning while he typed", "I paired with her and let her drive"]},
        {"point": "Taught rather than took over", "phrases": ["explained", "taught"], "aspect": "action",
         "claims": ["I walked him through the pipeline instead of fixing it", "I explained how the code fits"]},
        {"point": "A measurable outcome", "phrases": ["shipped", "dropped"], "aspect": "result",
         "claims": ["He shipped the feature two days early", "Her review rework fell by half in a month"]},
        {"point": "What they learned", "phrases": ["learned"], "aspect": "reflection",
         "claims": ["I learned to ask how I can help before jumping in", "Now I check in with new people weekly"]},
    ],
    "reference_answer": REFERENCE.replace("Quicksort", "I"),
    "red_flags": [
        {"claim": "I rewrote their code myself at night without telling them", "why": "takes over"},
        {"claim": "I reported them to our manager as the reason the sprint slipped", "why": "blames"},
    ],
}

CODING_TESTS = [
    {"name": f"case {i}", "args": [[i, i + 1], i], "expected": i, "hidden": i >= 4, "edge_case": i == 5}
    for i in range(6)
]
CODING: dict[str, Any] = {
    "slug": "knowledge-first-value", "type": "coding", "category": "algorithms", "difficulty": "easy",
    "title": "First value", "description": "Return the first value.", "estimated_time": 5,
    "rubric": [
        {"point": "Returns the first element", "phrases": ["first element"], "aspect": "approach",
         "claims": ["The function returns the value at index zero", "It hands back whatever comes first"]},
        {"point": "Constant time", "phrases": ["o(1)", "constant time"], "aspect": "complexity",
         "claims": ["Reading one element takes the same time for any size", "It needs no extra memory at all"]},
        {"point": "Handles the empty list", "phrases": ["empty"], "aspect": "edge_cases",
         "claims": ["With no elements there is nothing to return", "A list of length zero returns null"]},
    ],
    "reference_answer": REFERENCE,
    "complexity": {"time": "O(1)", "space": "O(1)"},
    "signatures": {
        "python": {"function_name": "first", "starter_code": "def first(xs, i):\n    pass\n",
                   "solution": "def first(xs, i):\n    return i\n"},
        "javascript": {"function_name": "first", "starter_code": "function first(xs, i) {\n}\n",
                       "solution": "function first(xs, i) {\n  return i;\n}\n"},
    },
    "tests": CODING_TESTS,
}


def entry(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of a bank entry with top-level keys replaced (None removes the key)."""
    data = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
