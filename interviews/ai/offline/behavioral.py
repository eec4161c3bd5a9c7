"""The substance of a behavioral story, not its script: what the candidate did (first person, past tense),
a measurable result, reflection, and against it hypotheticals ("I would..."), blame and harmful conduct,
however neatly the STAR headings frame them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .reading import Reading

_IRREGULAR_PAST = (
    "began|brought|built|bought|caught|chose|came|cut|dealt|did|drew|drove|fed|felt|fought|found|flew|forgot|gave|"
    "got|grew|had|heard|held|hid|hit|hurt|kept|knew|laid|led|left|lent|let|lost|made|meant|met|paid|put|quit|ran|"
    "read|rode|rang|rose|said|saw|sought|sold|sent|set|shook|shot|showed|shut|sang|sat|slept|spoke|spent|split|"
    "spread|stood|stole|struck|swore|swept|took|taught|tore|told|thought|threw|understood|woke|wore|won|wrote|"
    "was|were|went|became|overcame|undertook|withdrew|rebuilt|rewrote|reran|redid|oversaw"
)
_ADVERB = r"(?:\w+ly\s+|then\s+|also\s+|first\s+|immediately\s+|personally\s+|quickly\s+|finally\s+|eventually\s+)?"
OWN_ACTION = re.compile(r"\bi\s+" + _ADVERB + r"(\w+ed|" + _IRREGULAR_PAST + r")\b")
_NOT_ACTIONS = frozenset({"was", "were", "had", "felt", "thought", "knew", "understood", "liked", "wanted", "needed",
                          "loved", "hated", "hoped", "wished", "believed", "assumed", "supposed", "used"})
HYPOTHETICAL = re.compile(
    r"\bi\s+(?:would|will|\w+ly\s+would|might|could|should|usually|always|normally|generally|typically|tend to|"
    r"try to|like to|prefer to|am going to|plan to)\b|\bif i (?:were|was|had|ever)\b|\bmy approach (?:would be|is)\b|"
    r"\bwhat i (?:would|usually|normally) do\b|\bin (?:that|such a|this) (?:situation|case|scenario),? i\b|"
    r"\bi(?:'d| would) (?:probably|likely|first)\b|\bhypothetically\b|\bi have never\b|\bnever (?:been in|had) "
    r"(?:that|this|such)\b")
MEASURED = re.compile(
    r"(?:\$\s?\d[\d,.]*\w*|\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|hundred|dozen|half)(?:\s*(?:k|m|b|thousand|million|billion))?\s*(?:%|percent\b|x\b|times\b|"
    r"weeks?\b|days?\b|hours?\b|months?\b|minutes?\b|seconds?\b|sprints?\b|quarters?\b|years?\b|people\b|engineers\b|"
    r"developers\b|users\b|customers\b|tickets\b|incidents\b|bugs\b|teams?\b|releases?\b|members\b|reports\b|"
    r"services\b|pages\b|dollars\b|points\b|ms\b|milliseconds\b|requests\b|errors\b|deploys?\b|pull requests\b))")
RESULT = re.compile(r"\b(as a result|the result|the outcome|in the end|ultimately|which (?:reduced|increased|cut|"
                    r"saved|improved|meant)|(?:reduced|increased|improved|cut|dropped|fell|rose|grew|shrank|halved|"
                    r"doubled|saved|shipped|launched|delivered|finished|resolved|recovered)\b)")
REFLECTION = re.compile(
    r"\b(i learned|i learnt|i have learned|i realized|i realised|looking back|in hindsight|in retrospect|next time|"
    r"since then|ever since|it taught me|taught me|the lesson|what i took away|i now|now i|i still|i would do "
    r"differently|i would have|if i did it again|i changed how|made me realize|i started to)\b")
BLAME = re.compile(
    r"\b(?:(?:his|her|their|its) fault|not my fault|nothing i could do|i blamed|blamed (?:him|her|them|the)|"
    r"(?:he|she|they) (?:was|were) (?:lazy|incompetent|useless|stupid|clueless|hopeless|the problem)|"
    r"because of (?:him|her|them|my manager|the other team)|(?:he|she|they) just (?:did not|never|refused)|"
    r"it was (?:on )?(?:them|him|her)|their mess|not my (?:job|problem|responsibility))\b")
HARM = re.compile(
    r"\b(?:without (?:telling|asking|informing|consulting) (?:anyone|him|her|them|my|the)|behind (?:his|her|their|"
    r"my manager.?s?|the team.?s?) backs?|took (?:the )?credit|lied|lie to|misled|hid (?:it|the|this|my)|"
    r"covered (?:it )?up|kept (?:it|this) (?:quiet|secret|to myself)|secretly|quietly (?:deleted|changed|rewrote|"
    r"merged|pushed|reverted|removed)|deleted (?:his|her|their)|threatened|yelled|shouted|screamed|humiliat\w*|"
    r"publicly (?:called|criticized|criticised|shamed|blamed)|called (?:him|her|them) out in front|got (?:him|her|"
    r"them) fired|had (?:him|her|them) (?:fired|removed|moved)|went over (?:his|her|their) heads?|bypass\w* (?:the )?"
    r"(?:review|tests|approval|process|checks)|skipped (?:the )?(?:review|tests|approval|checks)|forced (?:it|them|"
    r"him|her|my)|pushed (?:it )?(?:straight|directly) to (?:prod|production|main|master)|ignored (?:the|their|his|"
    r"her) (?:feedback|concerns|warnings|objections)|overrode|falsif\w*|fudged|made up (?:the )?(?:numbers|data)|"
    r"faked|cheated|excluded (?:him|her|them)|froze (?:him|her|them) out|stopped (?:talking|speaking) to|"
    r"refused to (?:help|talk|listen)|rewrote (?:his|her|their) (?:code|work) (?:myself|without)|"
    r"reported (?:him|her|them) to (?:hr|our manager|my manager|management) as)\b")


@dataclass(frozen=True)
class Story:
    actions: int  # distinct own past actions ("I paired", "I wrote")
    hypothetical: int  # sentences that say what the candidate would do
    measured: int  # measurable outcomes (numbers with units)
    result: bool
    reflection: bool
    blame: int
    harm: int
    ownership: float  # share of "I" among "I" and "we"


def read_story(reading: Reading) -> Story:
    lowered = reading.lowered
    actions = {m.group(1) for m in OWN_ACTION.finditer(lowered) if m.group(1) not in _NOT_ACTIONS}
    hypothetical = sum(bool(HYPOTHETICAL.search(s.text.lower())) for s in reading.sentences)
    words = [w for s in reading.sentences for w in s.words]
    mine = sum(w in ("i", "my", "me", "myself") for w in words)
    ours = sum(w in ("we", "our", "us", "ourselves") for w in words)
    return Story(
        actions=len(actions), hypothetical=hypothetical, measured=len(set(MEASURED.findall(lowered))),
        result=bool(RESULT.search(lowered)), reflection=bool(REFLECTION.search(lowered)),
        blame=sum(bool(BLAME.search(s.text.lower())) for s in reading.sentences),
        harm=sum(bool(HARM.search(s.text.lower())) for s in reading.sentences),
        ownership=mine / (mine + ours) if mine + ours else 0.0,
    )
