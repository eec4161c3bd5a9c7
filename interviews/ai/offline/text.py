"""Text as the evaluator reads it: sentences, stems, negation and word order.

Two views of the same text. `normalise` keeps every token (symbols included) for rubric phrases, matched
on word boundaries. `content` keeps the words that carry meaning, in order, with negation bound to the
word it negates ("is not stable" gives `!stabl`) and complexity classes folded into one token each
("O(n^2)", "n squared" and "quadratic" all give `cx_quadratic`), so "quicksort is not stable" and
"quicksort is stable" differ, and so do "A is faster than B" and "B is faster than A" (through the
ordered pairs built from these sequences in `claims.py`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")

_APOSTROPHES = re.compile(r"['’‘`´]")
_CONTRACTION = re.compile(r"\b(can|won|shan)'?t\b|n't\b|\b(did|do|does|is|are|was|were|has|have|had|could|would|"
                          r"should)nt\b|'(re|ve|ll|d|m|s)\b")
_EXPANDED = {"can": "can not", "won": "will not", "shan": "shall not", "re": " are", "ve": " have", "ll": " will",
             "d": " would", "m": " am", "s": ""}
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# A hyphen or slash between two letters joins words ("pre-allocate", "pub/sub"); elsewhere it is an
# operator ("v-1", "1/n", "// 10") and stays a token, so "o(n^2)" never matches a phrase "o(n)".
_WORD_JOINER = re.compile(r"(?<=[^\W\d_])[-/](?=[^\W\d_])")
_TOKEN = re.compile(r"\w+|[()\[\]{}+*/^%=<>!:#|&~-]|(?<=\w)\.(?=\w)")
_WORD = re.compile(r"\w+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\s*\n\s*|(?<=;)\s+")

# Complexity classes in their many spellings, folded before tokenising (order matters: longest first).
_N = r"(?:n|v|e|m|k|h|l)"
_COMPLEXITY_CLASSES = (
    ("cx_nlogn", r"o\s*\(\s*" + _N + r"\s*\*?\s*log\s*\(?\s*" + _N + r"?\s*\)?\s*\)|\b(?:n\s*log\s*n|nlogn|"
                 r"linearithmic|n times log n)\b"),
    ("cx_cubic", r"o\s*\(\s*n\s*(?:\^|\*\*)\s*3\s*\)|o\s*\(\s*n³\s*\)|\b(?:n cubed|cubic)\b"),
    ("cx_quadratic", r"o\s*\(\s*n\s*(?:\^|\*\*)\s*2\s*\)|o\s*\(\s*n²\s*\)|o\s*\(\s*n\s*\*\s*n\s*\)|"
                     r"\bn\s*(?:\^|\*\*)\s*2\b|n²|\b(?:n squared|quadratic(?:ally)?)\b"),
    ("cx_exponential", r"o\s*\(\s*\d\s*(?:\^|\*\*)\s*n\s*\)|\bexponential(?:ly)?\b|\b2\s*(?:\^|\*\*)\s*n\b"),
    ("cx_factorial", r"o\s*\(\s*n\s*!\s*\)|\bfactorial time\b"),
    ("cx_log", r"o\s*\(\s*log\s*\(?\s*" + _N + r"?\s*\)?\s*\)|\blogarithmic(?:ally)?\b|\blog n\b"),
    ("cx_linear", r"o\s*\(\s*" + _N + r"\s*\)|\blinear(?:ly)?\b"),
    ("cx_constant", r"o\s*\(\s*1\s*\)|\bconstant[- ](?:time|space|memory|extra)\b"),
)
_COMPLEXITY = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _COMPLEXITY_CLASSES))
# Most sentences name no complexity class; this cheap test spares them the long pattern above.
_MAYBE_COMPLEXITY = re.compile(r"o\s*\(|log|linear|quadrat|squared|cub|expon|factorial|constant|\^|\*\*|²|³")

NEGATORS = frozenset({"not", "no", "never", "without", "neither", "nor", "none", "cannot", "nothing", "nobody"})
# Words that end a negation's reach: the next clause says something else.
_SCOPE_ENDS = frozenset({"but", "while", "whereas", "although", "though", "however", "instead", "so", "because",
                         "and", "which", "whereby", "yet"})
STOPWORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from",
    "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those",
    "you", "your", "yours", "we", "our", "i", "my", "me", "they", "them", "their", "he", "she", "his", "her",
    "him", "what", "which", "who", "whom", "how", "why", "when", "where", "would", "could", "should", "will",
    "can", "may", "might", "must", "shall", "do", "does", "did", "done", "have", "has", "had", "so", "than",
    "then", "there", "here", "such", "into", "about", "very", "just", "also", "any", "each", "some", "one",
    "use", "using", "used", "way", "ways", "thing", "things", "get", "gets", "got", "make", "makes", "made",
    "us", "am", "itself", "themselves", "that's", "there's", "let", "lets", "like", "really", "quite", "well",
    "because", "while", "whereas", "although", "though", "however", "yet", "since", "until", "unless",
    "via", "per", "both", "either", "other", "another", "same", "much", "many", "lot", "lots", "still",
    "even", "too", "up", "out", "over", "under", "again", "further", "once", "only", "own", "s", "t",
    "basically", "actually", "simply", "generally", "usually", "typically", "essentially",
})
# "own" and "only" are stop words above but carry meaning when contrasted ("their own address space"),
# so content keeps them (FUNCTION_WORDS below counts them for prose detection instead).
_KEPT = frozenset({"own", "only", "same", "other", "more", "most", "less", "least", "fewer", "before", "after",
                   "always", "never", "first", "last", "over", "under", "up", "out", "both", "either", "each"})
FUNCTION_WORDS = (STOPWORDS - _KEPT) | NEGATORS | frozenset({"not"})


# Everyday words for the same thing in this field, folded to one stem on both sides (after stemming).
_SAME = {
    "centr": "middl", "midpoint": "middl", "mid": "middl", "dictionari": "dict", "hashmap": "dict",
    "total": "sum", "quick": "fast", "rapid": "fast", "remov": "delet", "eras": "delet", "retriev": "fetch",
    "persist": "store", "save": "store", "begin": "start", "finish": "end", "huge": "larg", "big": "larg",
    "tini": "small", "littl": "small", "grow": "increas", "rise": "increas", "shrink": "decreas",
    "center": "middl", "vertex": "node", "identifi": "id", "duplic": "copi", "mistak": "bug", "halv": "half",
    "twice": "doubl", "fewer": "less", "forev": "alway", "immedi": "instant", "instantan": "instant",
}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem, identically on both sides: "caches", "cached" and "caching" meet "cach";
    a few everyday synonyms meet too ("centre" and "midpoint" meet "middle")."""
    if len(word) <= 2 or not word.isalpha():
        return word
    stemmed = _STEMMER.stemWord(word)
    return _SAME.get(stemmed, stemmed)


def _contraction(match: re.Match[str]) -> str:
    whole, negated_verb = match.group(1), match.group(2)
    if whole:
        return _EXPANDED[whole]
    if negated_verb:
        return negated_verb + " not"
    return " not" if match.group(0) == "n't" else _EXPANDED[match.group(3)]


def _expand(text: str) -> str:
    text = _CONTRACTION.sub(_contraction, text.lower().replace("’", "'").replace("‘", "'"))
    return _APOSTROPHES.sub("", text)


def prepare(text: str) -> str:
    """Lower case, contractions expanded, thousands separators dropped, hyphenated words split: what
    `words_in` and `normal_in` read (a sentence is prepared once and read both ways)."""
    return _WORD_JOINER.sub(" ", _THOUSANDS.sub("", _expand(text)))


def words_in(prepared: str) -> list[str]:
    return _WORD.findall(prepared)


def normal_in(prepared: str) -> str:
    """Stemmed tokens (words, plus operator symbols so code-ish phrases keep their shape) joined by single
    spaces with a space at each end, so `f" {phrase} " in text` is a match on word boundaries ("ack" never
    matches inside "stack")."""
    return " " + " ".join(stem(t) for t in _TOKEN.findall(prepared)) + " "


def normalise(text: str) -> str:
    """`normal_in` of a text."""
    return normal_in(prepare(text))


def words(text: str) -> list[str]:
    """Lower-cased words, contractions expanded, unstemmed (for cues, counts and typo repair)."""
    return words_in(prepare(text))


def fold_complexity(text: str) -> str:
    """Replace every spelling of a complexity class by its single token (see the module docstring)."""
    lowered = text.lower()
    if not _MAYBE_COMPLEXITY.search(lowered):
        return lowered
    return _COMPLEXITY.sub(lambda m: f" {m.lastgroup} ", lowered)


def content(raw_words: list[str]) -> tuple[str, ...]:
    """Stems of the meaningful words in order; a negator marks the next meaningful word of its clause
    with "!" ("never blocks" gives "!block")."""
    out: list[str] = []
    negate = False
    clause_start = 0

    def negate_last() -> None:
        # "... stable, but it is not": a negation with nothing after it denies what its clause refers back to
        if len(out) > clause_start and not out[-1].startswith("!"):
            out[-1] = "!" + out[-1]

    for word in raw_words:
        if word in NEGATORS:
            negate = True
            continue
        if word in _SCOPE_ENDS:
            if negate:
                negate_last()
            negate = False
            clause_start = max(0, len(out) - 1) if word in ("but", "though", "although", "however", "yet") else len(out)
            continue
        if word in STOPWORDS and word not in _KEPT:
            continue
        token = word if word.startswith("cx_") else stem(word)
        if negate:
            token, negate = "!" + token, False
        out.append(token)
    if negate:
        negate_last()
    return tuple(out)


def content_of(text: str) -> tuple[str, ...]:
    """`content` of a text, complexity classes folded first."""
    return content(words(fold_complexity(text)))


def sentences(text: str) -> list[str]:
    """Sentences and list items (a line break or a semicolon ends one too)."""
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
