"""The inline markup of a Markdown paragraph (code backticks, escapes, links, emphasis) as deletions (pure)."""

from __future__ import annotations

import re

from index.sourcemap import Edit

_CODE = re.compile(r"(`+)(?!`)([\s\S]*?[^`])\1(?!`)")
_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
_LINK = re.compile(r"(!?\[)((?:[^\[\]]|\[[^\[\]]*\])*)(\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+(?:\"[^\"]*\"|'[^']*'))?"
                   r"[ \t]*\)|\]\[[^\[\]]*\])")
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+")
_DELIMITERS = re.compile(r"\*+|_+")


def inline_edits(text: str, base: int) -> list[Edit]:
    """Deletions of the inline markup of one paragraph: code backticks, escapes, link syntax, emphasis markers."""
    cuts: list[tuple[int, int]] = []
    kept: list[tuple[int, int]] = []  # text that must stay verbatim (code, URLs, escaped characters)

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in cuts + kept)

    for m in _CODE.finditer(text):
        if free(m.start(), m.end()):
            ticks = len(m.group(1))
            cuts += [(m.start(), m.start() + ticks), (m.end() - ticks, m.end())]
            kept.append((m.start() + ticks, m.end() - ticks))
    for m in _ESCAPE.finditer(text):
        if free(m.start(), m.end()):
            cuts.append((m.start(), m.start() + 1))
            kept.append((m.start() + 1, m.end()))
    for m in _AUTOLINK.finditer(text):
        if free(m.start(), m.end()):
            cuts += [(m.start(), m.start() + 1), (m.end() - 1, m.end())]
            kept.append((m.start() + 1, m.end() - 1))
    for m in _LINK.finditer(text):
        if free(m.start(1), m.end(1)) and free(m.start(3), m.end(3)):
            cuts += [m.span(1), m.span(3)]
    for m in _BARE_URL.finditer(text):
        if free(m.start(), m.end()):
            kept.append(m.span())
    cuts += _emphasis_cuts(text, lambda a, b: free(a, b))
    return [(base + a, base + b, "", True) for a, b in cuts]


def _emphasis_cuts(text: str, free) -> list[tuple[int, int]]:
    """Matched `*`/`_` delimiter runs (a simplified CommonMark rule); unmatched ones stay as text."""
    cuts, openers = [], []  # openers: [char, start, length]
    for m in _DELIMITERS.finditer(text):
        if not free(m.start(), m.end()):
            continue
        char, start, length = m.group()[0], m.start(), len(m.group())
        before = text[start - 1] if start else " "
        after = text[m.end()] if m.end() < len(text) else " "
        left = not after.isspace() and (after.isalnum() or before.isspace() or not before.isalnum())
        right = not before.isspace() and (before.isalnum() or after.isspace() or not after.isalnum())
        if char == "_":
            can_open, can_close = left and not (right and before.isalnum()), right and not (left and after.isalnum())
        else:
            can_open, can_close = left, right
        if can_close:
            match = next((i for i in range(len(openers) - 1, -1, -1) if openers[i][0] == char), None)
            if match is not None:
                _, o_start, o_length = openers[match]
                used = min(o_length, length)
                cuts += [(o_start + o_length - used, o_start + o_length), (start, start + used)]
                del openers[match + 1:]
                if o_length > used:
                    openers[match][2] = o_length - used
                else:
                    openers.pop()
                start, length = start + used, length - used
                if not length:
                    continue
        if can_open:
            openers.append([char, start, length])
    return cuts
