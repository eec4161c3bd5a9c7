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
_PERSON = r"(?:him|her|them|anyone|anybody|the team|my team|my manager|my lead|the reviewer|the author|support)"
HARM = re.compile(
    # acting behind people's backs
    r"\bwithout (?:telling|asking|informing|consulting|involving|looping|letting|checking with|a word to) " + _PERSON
    + r"|\bbehind (?:his|her|their|my manager.?s?|the team.?s?) backs?|\bwent over (?:his|her|their) heads?"
    r"|\b(?:quietly|secretly|silently) (?:\w+ed|pushed|took|rewrote|made|put|ran|kept|hid|fixed|changed)\b"
    # dishonesty and hiding
    r"|\b(?:lied|lie to|misled|made up|fudged|faked|falsif\w*|cheated)\b|\bhid (?:it|the|this|my)\b"
    r"|\bcovered (?:it|this|the \w+) up\b|\bkept (?:it|this|that) (?:quiet|secret|to myself|from)\b"
    r"|\b(?:deleted|wiped|removed|scrubbed) (?:the |my |our )?(?:error |audit )?(?:logs|evidence|alerts|records|"
    r"history)\b|\b(?:kept|left) (?:my|the) [\w ]{0,30} out of (?:the )?(?:timeline|postmortem|report|incident)"
    r"|\bso (?:it|the \w+|nobody|no one) (?:would not|wouldn.?t|could not|couldn.?t) (?:show|see|notice|find|trace)"
    r"|\bwithout (?:opening|filing|raising|reporting) (?:an |the )?(?:incident|ticket|bug)"
    r"|\btold (?:\w+ ){0,3}(?:that )?(?:it|the change|the pr) (?:had been|was) approved\b"
    # credit and blame
    r"|\btook (?:the |all the )?credit\b|\bas (?:my|our) own (?:work|idea|design)\b|\bpresented [\w ]{0,40} as my own"
    r"|\b(?:framed|written up|wrote up|pinned|blamed|put) (?:the )?(?:root )?(?:cause |blame |it )?(?:as|on) (?:the )?"
    r"(?:\w+ )?(?:team|qa|reviewer|platform|intern|junior|vendor|them|him|her)\b"
    r"|\b(?:had been|was|were) the bottleneck\b|\bfactor it into (?:his|her|their) review\b"
    # overriding people and process
    r"|\b(?:dismissed|overrode|overruled|ignored|bypassed|skipped|circumvented) (?:his|her|their|the) (?:review|"
    r"approval|objections?|concerns|feedback|warnings|tests|checks|process)\b|\bused my admin (?:rights|access|"
    r"permissions)\b|\bmerged it (?:to main |into main )?(?:myself|anyway)\b|\bforce[- ]pushed\b"
    r"|\bpushed (?:it |a fix |the fix |a hotfix )?(?:straight|directly) to (?:prod|production|main|master)"
    # hostility
    r"|\b(?:threatened|yelled|shouted|screamed|humiliat\w*|belittl\w*|mocked|insulted)\b"
    r"|\bpublicly (?:called|criticized|criticised|shamed|blamed)|\bcalled (?:him|her|them) out in front"
    r"|\bgot (?:him|her|them) (?:fired|removed|moved)|\bexcluded (?:him|her|them)|\bfroze (?:him|her|them) out"
    r"|\bstopped (?:talking|speaking) to|\brefused to (?:help|talk|listen)"
    r"|\b(?:rewrote|redid|took over) (?:his|her|their) (?:code|work|branch|ticket|pr)\b"
    r"|\breported (?:him|her|them) to (?:hr|our manager|my manager|management)\b")


_NARRATIVE = re.compile(r"\b(?:i|we|my|our|he|she|they|it|the team|the \w+)\s+" + _ADVERB + r"(?:\w+ed|"
                        + _IRREGULAR_PAST + r")\b")


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
    narrative: float  # share of the sentences that tell what happened (past tense, first person)


def read_story(reading: Reading) -> Story:
    lowered = reading.lowered
    actions = {m.group(1) for m in OWN_ACTION.finditer(lowered) if m.group(1) not in _NOT_ACTIONS}
    hypothetical = sum(bool(HYPOTHETICAL.search(s.text.lower())) for s in reading.sentences)
    words = [w for s in reading.sentences for w in s.words]
    told = [bool(_NARRATIVE.search(s.text.lower())) for s in reading.sentences]
    mine = sum(w in ("i", "my", "me", "myself") for w in words)
    ours = sum(w in ("we", "our", "us", "ourselves") for w in words)
    return Story(
        actions=len(actions), hypothetical=hypothetical, measured=len(set(MEASURED.findall(lowered))),
        result=bool(RESULT.search(lowered)), reflection=bool(REFLECTION.search(lowered)),
        blame=sum(bool(BLAME.search(s.text.lower())) for s in reading.sentences),
        harm=sum(bool(HARM.search(s.text.lower())) for s in reading.sentences),
        ownership=mine / (mine + ours) if mine + ours else 0.0,
        narrative=sum(told) / len(told) if told else 0.0,
    )
