"""English verb forms the statements and their checks need: past tense, third person, irregular pasts (pure)."""

from __future__ import annotations

import re

from qa.lexicon import IRREGULAR

# IRREGULAR's pasts, and those a follow-up's parse must not take for verbs ("the cost", "a cut", "the Fed")
_PAST = {base: past for past, base in IRREGULAR.items()} | dict(pair.split(":") for pair in """feed:fed light:lit
do:did be:was have:had spread:spread cost:cost cut:cut let:let shut:shut quit:quit hurt:hurt bet:bet cast:cast
burst:burst split:split read:read beat:beat""".split())
_PREFIXES = ("over", "under", "with", "re", "mis", "out", "fore", "up")
PAST_FORMS = frozenset(_PAST.values())
_BASE_OF_PAST = {past: base for base, past in _PAST.items()}


def _irregular(word: str, table: dict[str, str]) -> str | None:
    """The word looked up in an irregular-verb table, itself or after a prefix ("overthrow": "over" + "threw")."""
    if word in table:
        return table[word]
    prefix = next((p for p in _PREFIXES if word.startswith(p) and word[len(p):] in table), None)
    return prefix + table[word[len(prefix):]] if prefix else None


def base_of_past(word: str) -> str | None:
    """The base of an irregular past form ("came" -> "come", "overthrew" -> "overthrow"), else None: the
    check's word forms know them."""
    return _irregular(word, _BASE_OF_PAST)


_THIRD = {"have": "has", "do": "does", "be": "is", "go": "goes"}


def past(verb: str) -> list[str]:
    """The past-tense forms a base verb may take: its irregular form, else the regular spellings."""
    v = verb.lower()
    irregular = _irregular(v, _PAST)  # "overthrow" -> "overthrew"
    if irregular:
        return [irregular]
    forms = []
    if v.endswith("e"):
        forms.append(v + "d")
    elif re.search(r"[^aeiou]y$", v):
        forms.append(v[:-1] + "ied")
    else:
        forms.append(v + "ed")
        if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", v) and len(re.findall(r"[aeiou]+", v)) == 1:
            forms.append(v + v[-1] + "ed")  # "stop", "ban": one syllable; "abandon" -> "abandoned" only
    return list(dict.fromkeys(forms))


def third_person(verb: str) -> list[str]:
    """The third-person singular present forms a base verb may take."""
    v = verb.lower()
    if v in _THIRD:
        return [_THIRD[v]]
    if re.search(r"(?:s|x|z|ch|sh|o)$", v):
        return [v + "es"]
    if re.search(r"[^aeiou]y$", v):
        return [v[:-1] + "ies"]
    return [v + "s"]
