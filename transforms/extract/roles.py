"""Grammatical roles of actor mentions within one sentence: who acted and who suffered.

Each rule looks at the words right before or after an actor mention, inside its own clause
("... were killed when militants attacked ..." is two clauses), and returns a role with a
strength: 3 for "by X"; 2 for grammar: a claim ("X claimed the attack"), the subject of an
active violent verb, the object of one, the subject of a passive one ("soldiers were killed",
"soldiers killed in an attack"), what victims died in ("killed in Israeli air strikes"), a
defender ("troops repelled the attack"), an installation ("attacked a checkpoint"), the loser of
ground ("retook the town from X"), "clashes between X and Y"; 1 for word order alone. Unnamed
reporters of the incident ("police said") get no role. Callers keep the strongest reading.
These are patterns of English grammar, not lexicons; actor names live in transforms/data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.extract.actors import can_take_up_arms

PERPETRATOR = "perpetrator"
TARGET = "target"

BY = 3
GRAMMAR = 2
ORDER = 1


@dataclass(frozen=True)
class Role:
    role: str
    strength: int
    rule: str  # which rule decided, for debugging and tests


# Violent verbs, active past/present/gerund forms.
_ACTS = (
    r"kill(?:ed|s|ing)?|attack(?:ed|s|ing)?|ambush(?:ed|es|ing)?|storm(?:ed|s|ing)?|overr(?:an|un|uns|unning)|"
    r"raid(?:ed|s|ing)?|abduct(?:ed|s|ing)?|kidnap(?:ped|s|ping)?|fired|fire[sd]?\s+(?:on|at)|opened\s+fire|"
    r"shell(?:ed|s|ing)?|bomb(?:ed|s|ing)?|struck|strikes?|hit|hits|launch(?:ed|es)?|detonat(?:ed|es)|"
    r"set\s+fire|torch(?:ed|es)|burn(?:ed|t|s)|seiz(?:ed|es)|captur(?:ed|es)|took\s+(?:control|over)|beat|"
    r"shot|shoots?|hurl(?:ed|s)|threw|throws?|lob(?:bed|s)|hack(?:ed|s)|massacr(?:ed|es)|execut(?:ed|es)|"
    r"loot(?:ed|s)|clash(?:ed|es)|fought|targe?t(?:ed|s)|carried\s+out|detain(?:ed|s)|arrest(?:ed|s)|"
    r"dispers(?:ed|es)|broke\s+up|used|rap(?:ed|es)|assault(?:ed|s)|besieg(?:ed|es)|invad(?:ed|es)|"
    r"exchanged\s+fire|traded\s+fire|pound(?:ed|s)|blew\s+(?:himself|herself|themselves)\s+up"
)
_HARM = (
    r"killed|attacked|abducted|kidnapped|shot|wounded|injured|hurt|targeted|ambushed|arrested|detained|seized|"
    r"hit|struck|raped|bombed|shelled|captured|dispersed|beaten|lynched|slain|massacred|executed|beheaded|"
    r"overrun|stormed|raided|hacked|burned|abused|assaulted|taken\s+hostage|held\s+hostage"
)

# A clause ends at a conjunction that starts another event ("... died when militants ...").
_CLAUSE_BREAK = re.compile(
    r"\b(?:when|as|after|while|before|because|whereas|until|said|says)\b|[;:—–]|,\s+(?:who|which)\b", re.I
)
# A word between an actor and its verb ("Viv Ansanm gang coalition attacked"), never one that
# starts a phrase of its own or makes the verb passive.
_FILLER = (
    r"(?!(?:in|on|at|of|from|with|a|an|the|to|for|near|into|and|or|during|by|was|were|is|are|be|been|being|"
    r"had|has|have|got|said|says)\b)[a-z][\w-]*"
)
# Optional lead-in after an actor: an acronym in brackets, an aside between commas, "who".
_LEAD_IN = r"^[\s),]*(?:\([^)]{0,60}\)\s*)?(?:,[^,]{0,70},\s*)?(?:who\s+|which\s+)?"
_VICTIM_AFTER = re.compile(
    _LEAD_IN
    + r"(?:"
    + _FILLER
    + r"\s+){0,2}?(?:(?:had\s+been|have\s+been|has\s+been|were|was|are|is|being|been|got)\s+(?:\w+\s+){0,2}?(?:"
    + _HARM
    + r")\b|(?:killed|wounded|injured|abducted|kidnapped|slain|hurt)\s+(?:in|by|during|when|as|after|while|"
    r"overnight|at(?!\s+least))\b|(?:\w+\s+)?(?:died|perished|lost\s+their\s+lives|lost\s+his\s+life|were\s+among\s+the\s+(?:dead|victims)))",
    re.I,
)
_AGENT_AFTER = re.compile(_LEAD_IN + r"(?:(?:on\s+\w+|" + _FILLER + r")\s+){0,2}?(?:" + _ACTS + r")\b", re.I)
# Two sides of one fight: "army troops and police officers exchanged fire" (the first is coded as
# the perpetrator, by convention).
_MUTUAL_AFTER = re.compile(_LEAD_IN + r"and\s+(?:[\w'’-]+\s+){1,5}?(?:fought|clashed|exchanged|traded|battled)\b", re.I)
_DEFENDER_AFTER = re.compile(
    _LEAD_IN + r"(?:(?:had|have|has|later|quickly|eventually|then|\w+ly)\s+){0,2}[\"“]?(?:successfully\s+)?"
    r"(?:repell?(?:ed|s)|repuls(?:ed|es)|responded|fought\s+back|returned\s+fire|foiled|thwarted|pushed\s+back|"
    r"beat\s+(?:back|off)|drove\s+(?:off|back)|fended\s+off|repelled|neutrali[sz]ed|counter-?attacked)\b",
    re.I,
)
# The object of a violent verb or attack noun, with no clause break between them.
_GAP = r"(?:(?!\b(?:when|as|after|while|who|which|said|says|by|and\s+then)\b)[^,;.:()—–])*?"
_OBJECT_BEFORE = re.compile(
    r"\b(?:kill(?:ed|ing|s)?|wound(?:ed|ing)|injur(?:ed|ing)|abduct(?:ed|ing)|kidnapp(?:ed|ing)|attack(?:ed|ing)?|"
    r"ambush(?:ed|ing)?|target(?:ed|ing)?|storm(?:ed|ing)|raid(?:ed|ing)?|overr(?:an|unning)|hit(?:ting)?|struck|"
    r"strik(?:e|es|ing)|shell(?:ed|ing)?|bomb(?:ed|ing)?|fired\s+(?:on|at|upon|into)|opened\s+fire\s+(?:on|at)|"
    r"assault(?:ed|ing)?|executed|beheaded|shot|shooting|lynched|beat|beating|abduction\s+of|killing\s+of|"
    r"(?:attacks?|assault|raid|ambush|strikes?|offensive|rocket\s+fire|shelling)\s+(?:on|against|at|targeting)|"
    r"against|detain(?:ed|ing)|arrest(?:ed|ing)|dispers(?:ed|ing)|besieg(?:ed|ing)|hurled\s+\w+\s+at|"
    r"threw\s+(?:\w+\s+){1,3}?at|lobbed\s+(?:\w+\s+){1,3}?at|hurled\s+(?:\w+\s+){1,3}?at|aimed\s+at)\s" + _GAP + r"$",
    re.I,
)
# What people died in is what killed them: "four were killed in Israeli air strikes".
_CAUSE_BEFORE = re.compile(
    r"\b(?:killed|wounded|injured|died|hurt|dead|hit|struck|damaged|destroyed)\s+(?:[\w-]+\s+){0,3}?(?:in|during|from)\s+"
    r"(?:an?\s+|the\s+)?(?:[\w-]+\s+)?$",
    re.I,
)
# Ground is taken from the loser: "retook the town from Boko Haram fighters".
_LOSER_BEFORE = re.compile(
    r"\b(?:retak|retook|recaptur|re-?took|seiz|captur|wrest|took|regain|liberat|clear|drove|push)\w*\b"
    r"[^.;:]{0,80}?\b(?:from|out\s+of)\s+(?:the\s+)?$",
    re.I,
)
# "clashes between X and Y": X is coded as the perpetrator, Y as the target, by convention.
_BETWEEN_FIRST = re.compile(
    r"\b(?:clash(?:es)?|fighting|battles?|gunfights?|firefights?|fights?|skirmish(?:es)?|"
    r"exchanges?\s+of\s+fire)\s+between\s+(?:the\s+|rival\s+)?$",
    re.I,
)
_BETWEEN_SECOND = re.compile(
    r"\bbetween\s+(?:the\s+|rival\s+)?[^,;.]{2,80}?\s+and\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+)?$", re.I
)
# "by X", "by suspected X", "by members of X".
_BY_BEFORE = re.compile(
    r"\bby[\s\"“”']+(?:(?:suspected|alleged|armed|members\s+of|fighters\s+(?:from|of)|militants\s+(?:from|of)|"
    r"the|a|an|its|local|heavily|unidentified|unknown|[\w-]+-linked|[\w-]+-affiliated|several|hundreds?|dozens?|"
    r"scores?|some|about|around|more\s+than|at\s+least|up\s+to|\d[\d,]*)[\s\"“”']+)*$",
    re.I,
)
# "backed by X", "supported by X": an ally of the doer, named after "by" all the same.
_ALLY_BY = re.compile(r"\b(?:backed|supported|assisted|accompanied|aided|helped|reinforced)\s+by\b[^,;.]*$", re.I)
# The other side of a fight: "in a firefight with X".
_OPPONENT_BEFORE = re.compile(
    r"\b(?:firefight|gunfight|gun\s+battle|clash(?:es)?|fighting|battles?|exchange\s+of\s+fire|"
    r"shoot-?out|encounter|confrontation)\s+with\s+(?:[\w-]+\s+){0,3}$",
    re.I,
)
_CLAIM_AFTER = re.compile(
    _LEAD_IN + r"(?:\w+\s+){0,2}?(?:claimed\s+(?:responsibility|the|it)|took\s+responsibility|"
    r"said\s+(?:it|they)\s+(?:had\s+)?carried\s+out)",
    re.I,
)
# Who reports the incident is not a party to it: "..., police said", "according to the army".
_SOURCE_AFTER = re.compile(
    r"^[\s,]*(?:spokes(?:man|woman|person)\s+)?(?:said|say|says|told|reported|confirmed|added|announced)\b"
    # "the army said on Sunday it had retaken ...": the speaker is the actor
    r"(?![^.,;]{0,30}?\b(?:it|they|its|their|we|our)\b)",
    re.I,
)
_SOURCE_BEFORE = re.compile(r"\b(?:according\s+to|citing)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+)?$", re.I)
_OFFICE_SAID = re.compile(
    r"^[\s'’s-]*(?:run\s+|led\s+)?(?:[\w-]+\s+){0,2}?(?:ministry|spokes(?:man|woman|person)|officials?|"
    r"authorities|government|media|television|radio|agency|office|statement)\s+(?:said|says|told|reported)\b",
    re.I,
)
SOURCE = "source"
# Fixed installations (of state forces, embassies) cannot act: they are always what was hit.
INSTALLATION = re.compile(
    r"\b(?:base|garrison|checkpoint|barracks|camp|convoy|patrol|post|outpost|station|positions?|"
    r"bunker|headquarters|vehicle|embassy|consulate|compound|mission)\b",
    re.I,
)


def is_source(text: str, sentence: tuple[int, int], hit) -> bool:
    """True when the actor mention only reports the incident ("police said")."""
    return (
        role_of(
            text, sentence, hit.start, hit.end, hit.surface, hit.start, hit.actor_type == "Civilians", hit.named
        ).role
        == SOURCE
    )


def _clause_after(text: str, end: int, sentence_end: int) -> str:
    window = text[end : min(sentence_end, end + 140)]
    cut = _CLAUSE_BREAK.search(window)
    return window[: cut.start()] if cut else window


def _clause_before(text: str, start: int, sentence_start: int) -> str:
    return text[max(sentence_start, start - 90) : start]


# Between an actor and the trigger, these start another event; "when" and "as" do not ("soldiers
# were killed when militants attacked", "killed as militants hit a garrison" is one event).
_OTHER_EVENT = re.compile(
    r"\b(?:before|since|until|while|whereas|because|said|says|(?:days?|weeks?|months?|years?|hours?)\s+"
    r"(?:after|before|since))\b|[;:—–]|,\s+(?:who|which)\b",
    re.I,
)


def _same_clause(text: str, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return hi - lo < 200 and not _OTHER_EVENT.search(text, lo, hi)


def role_of(
    text: str,
    sentence: tuple[int, int],
    start: int,
    end: int,
    surface: str,
    trigger_start: int,
    civilians: bool = False,
    named: bool = False,
) -> Role:
    """The role of the actor mention text[start:end] in its sentence. Verbs of another clause
    than the trigger's ("two months after al-Shabab fighters overran it") count as word order only."""
    s, e = sentence
    before = _clause_before(text, start, s)
    after = _clause_after(text, end, e)
    same = _same_clause(text, start, trigger_start)
    # Only unnamed sources ("police said"): a named group that speaks is usually a party, unless
    # its office speaks ("the Taliban's interior ministry said").
    if (
        not named and (_SOURCE_AFTER.search(text[end : min(e, end + 40)]) or _SOURCE_BEFORE.search(before))
    ) or _OFFICE_SAID.search(text[end : min(e, end + 60)]):
        return Role(SOURCE, ORDER, "source")
    if civilians:
        # People are never the perpetrator of an armed incident; grammar only says how sure.
        strong = _VICTIM_AFTER.search(after) or _OBJECT_BEFORE.search(before)
        return Role(TARGET, GRAMMAR if strong else ORDER, "civilians")
    if INSTALLATION.search(surface):
        return Role(TARGET, GRAMMAR, "installation")  # "shot down by the embassy's defences": still what was hit
    if _BY_BEFORE.search(before):
        if _ALLY_BY.search(before):
            # "troops backed by clan militias": on the doer's side, not the doer
            return Role(PERPETRATOR, ORDER, "ally")
        return Role(PERPETRATOR, BY, "by")
    if _CLAIM_AFTER.search(after):
        return Role(PERPETRATOR, GRAMMAR, "claim")
    if _VICTIM_AFTER.search(after):
        return Role(TARGET, GRAMMAR, "passive")
    if _DEFENDER_AFTER.search(after):
        return Role(TARGET, GRAMMAR, "defender")
    if _OPPONENT_BEFORE.search(before):
        return Role(TARGET, ORDER, "opponent")
    if _BETWEEN_FIRST.search(before):
        return Role(PERPETRATOR, GRAMMAR, "between")
    if _BETWEEN_SECOND.search(before):
        return Role(TARGET, GRAMMAR, "between")
    if _LOSER_BEFORE.search(before):
        return Role(TARGET, GRAMMAR, "loser")
    if _CAUSE_BEFORE.search(before):
        return Role(PERPETRATOR, GRAMMAR, "cause")
    if same and (_AGENT_AFTER.search(after) or _MUTUAL_AFTER.search(after)):
        return Role(PERPETRATOR, GRAMMAR, "agent")
    if _OBJECT_BEFORE.search(before):
        # "..., killing two soldiers" is a victim wherever the trigger stands; only sure in its clause.
        return Role(TARGET, GRAMMAR if same else ORDER, "object")
    return Role(PERPETRATOR if start < trigger_start else TARGET, ORDER, "order")


def sentence_roles(text: str, sentence: tuple[int, int], hits, trigger_start: int) -> list[Role]:
    """Roles of all actor hits of one sentence. The opponent in "soldiers were killed in a
    firefight with X" is the perpetrator: the sentence's subject already holds the victims."""
    roles = [
        role_of(
            text,
            sentence,
            h.start,
            h.end,
            h.surface,
            trigger_start,
            h.actor_type == "Civilians" and not can_take_up_arms(h),
            h.named,
        )
        for h in hits
    ]
    victims = any(r.rule == "passive" and h.actor_type != "Civilians" for r, h in zip(roles, hits, strict=False))
    roles = [Role(PERPETRATOR, GRAMMAR, "opponent") if r.rule == "opponent" and victims else r for r in roles]
    # One actor written as two mentions ("Al-Shabaab fighters", "fighters of the ISWAP"):
    # both take the stronger reading.
    for i in range(1, len(hits)):
        a, b = hits[i - 1], hits[i]
        if _JOINED.match(text, a.end, b.start) and a.actor_type != "Civilians" and b.actor_type != "Civilians":
            stronger = max(roles[i - 1], roles[i], key=lambda r: r.strength)
            roles[i - 1] = roles[i] = stronger
    return roles


_JOINED = re.compile(r"[\s(-]*(?:(?:of|from|loyal\s+to|linked\s+to|belonging\s+to)(?:\s+the)?\s+)?$")
