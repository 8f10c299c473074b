"""English word lists and word-shape tests the question rules share: follow-ups, statements, compound questions
(pure)."""

from __future__ import annotations

import re

WH = frozenset("what which who whom whose when where why how".split())
AUX = frozenset("is are was were am do does did has have had can could will would shall should may might must".split())
DETS = frozenset("the a an this that these those his her its their our my your".split())
PREPS = frozenset("""about with for on in to from at by of into over under against between during after before as
than toward towards within without through since until like""".split())
PARTICLES, CONNECTORS = frozenset("down up out off away back".split()), frozenset("of the and de van al bin".split())
CALENDAR = frozenset("""january february march april may june july august september october november december monday
tuesday wednesday thursday friday saturday sunday""".split())
IRREGULAR = dict(pair.split(":") for pair in """said:say told:tell thought:think meant:mean got:get went:go came:come
made:make took:take gave:give sought:seek bought:buy sold:sell brought:bring shot:shoot wrote:write led:lead saw:see
kept:keep felt:feel knew:know began:begin became:become hit:hit put:put spoke:speak stood:stand held:hold won:win
lost:lose left:leave found:find built:build sent:send paid:pay fought:fight met:meet heard:hear broke:break
chose:choose ran:run grew:grow drew:draw threw:throw fell:fall rose:rise struck:strike set:set sank:sink sang:sing
swam:swim flew:fly forgot:forget hid:hide rode:ride shook:shake wore:wear tore:tear fled:flee lent:lend spent:spend
bent:bend laid:lay taught:teach caught:catch froze:freeze stole:steal swore:swear woke:wake arose:arise
underwent:undergo overcame:overcome withdrew:withdraw forbade:forbid dug:dig hung:hang slid:slide stuck:stick
swung:swing bled:bleed bred:breed sold:sell""".split())
VERBS = frozenset(IRREGULAR.values()) | frozenset("""want need play call consider end happen travel inform signify
specialise specialize maintain hope plan expect try look help show matter offer discuss achieve attain publish describe
aim cause react reach remain start stop use work live do be have kill move contain include""".split())
# nouns that end in -ing and are never a verb's form: "Is the sticky toffee pudding made with eggs?" is about the
# pudding (gerunds such as "parking" or "swimming" stay verb-like)
_ING_NOUNS = frozenset("""pudding building meeting wedding morning evening ceiling clothing bedding icing stuffing
filling topping dressing seasoning sibling dumpling herring lightning""".split())
NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
fifty hundred hundreds thousand thousands million millions billion billions dozen dozens few several""".split())
_E_ENDINGS = ("at", "iz", "is", "ys", "yz", "v", "c", "dg", "ng", "ur", "ir", "us", "ut", "rib", "rs", "ns", "ot")


def verbish(word: str) -> bool:
    """Whether a lower-cased word looks like a verb (listed, -ing or -ed)."""
    return word in VERBS or word in IRREGULAR or (
        word.endswith(("ing", "ed")) and len(word) > 4 and not word.endswith("eed")  # not "speed", "seed"
        and word not in _ING_NOUNS)


def looks_plural(word: str) -> bool:
    """Whether a lower-cased word looks like a plural noun."""
    return (len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s"))
            and word not in AUX and word[:-1] not in VERBS)


def base_form(verb: str) -> str:
    """The base form of a past-tense or third-person verb ('shot' -> 'shoot', 'published' -> 'publish')."""
    if (w := verb.lower()) in IRREGULAR:
        return IRREGULAR[w]
    if re.search(r"(ie[ds]|(ch|sh|ss|x)es)$", w):
        return w[:-3] + "y" if w[-3] == "i" else w[:-2]
    if w.endswith("ed") and len(w) > 4:
        stem = w[:-2]
        if stem[-1] == stem[-2] and stem[-1] not in "lsz":
            return stem[:-1]
        return stem + "e" if stem.endswith(_E_ENDINGS) else stem
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def amount_phrase(answer: str, noun: list[str]) -> str:
    """The answer to "how many/much NOUN": "1,800 loaves" after a number, "1.8 litres of water" after a measure,
    the answer alone when it names the noun itself."""
    if not noun or noun[-1].lower() in answer.lower().split():
        return answer
    last = answer.split()[-1].lower()
    return f"{answer} {' '.join(noun)}" if re.search(r"\d", last) or last in NUMBER_WORDS else \
        f"{answer} of {' '.join(noun)}"
