"""Offset maps from a derived plain text back to its source text, built by applying edits (pure)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

# An edit replaces source[start:end] by `text`; `markup` says the replaced source is markup (`**`, `](url)`, `## `)
# that a mapped span takes in when it touches it, as opposed to whitespace reflowed between lines.
Edit = tuple[int, int, str, bool]


@dataclass(frozen=True)
class SourceMap:
    """Where every character of a plain text came from in its source.

    `anchors` are (plain_offset, source_offset) pairs sorted in both coordinates, from (0, 0) to
    (len(plain), len(source)). Between two anchors both texts advance together (a copy), or only the source
    advances (deleted markup), or both by different amounts (line breaks and indentation turned into a space).
    `markup` holds the deleted markup spans of the source, which `source_span` extends a span over.
    """

    anchors: tuple[tuple[int, int], ...]
    markup: tuple[tuple[int, int], ...] = ()
    _plain: list = field(init=False, repr=False, compare=False)
    _source: list = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        anchors = tuple((int(p), int(s)) for p, s in self.anchors)
        if not anchors or anchors[0] != (0, 0):
            raise ValueError("a source map starts at anchor (0, 0)")
        if any(p2 < p1 or s2 < s1 for (p1, s1), (p2, s2) in zip(anchors, anchors[1:])):
            raise ValueError("source map anchors must be sorted in both coordinates")
        object.__setattr__(self, "anchors", anchors)
        object.__setattr__(self, "markup", tuple((int(a), int(b)) for a, b in self.markup))
        object.__setattr__(self, "_plain", [p for p, _ in anchors])
        object.__setattr__(self, "_source", [s for _, s in anchors])

    @classmethod
    def identity(cls, length: int) -> "SourceMap":
        """The map of a text that is its own source."""
        return cls(((0, 0), (length, length)))

    @property
    def plain_length(self) -> int:
        return self.anchors[-1][0]

    @property
    def source_length(self) -> int:
        return self.anchors[-1][1]

    @property
    def is_identity(self) -> bool:
        return not self.markup and all(p == s for p, s in self.anchors)

    def source_offset(self, position: int) -> int:
        """The source offset of plain character `position` (the plain length maps to the source length)."""
        if not 0 <= position <= self.plain_length:
            raise ValueError(f"offset {position} is outside the plain text (0..{self.plain_length})")
        i = bisect.bisect_right(self._plain, position) - 1
        p, s = self.anchors[i]
        if i + 1 == len(self.anchors):
            return s
        return s + min(position - p, max(self.anchors[i + 1][1] - s - 1, 0))

    def plain_offset(self, source_position: int) -> int:
        """The plain offset that source offset `source_position` reads as (deleted markup reads as what follows)."""
        if not 0 <= source_position <= self.source_length:
            raise ValueError(f"offset {source_position} is outside the source (0..{self.source_length})")
        i = bisect.bisect_right(self._source, source_position) - 1
        p, s = self.anchors[i]
        if i + 1 == len(self.anchors):
            return p
        return p + min(source_position - s, self.anchors[i + 1][0] - p)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span that plain span [start, end) came from, with the markup that touches it."""
        if not 0 <= start <= end <= self.plain_length:
            raise ValueError(f"span {start}..{end} is outside the plain text (0..{self.plain_length})")
        if start == end:
            at = self.source_offset(start)
            return at, at
        begin, finish = self.source_offset(start), self.source_offset(end - 1) + 1
        before = {b: a for a, b in self.markup}
        after = {a: b for a, b in self.markup}
        while begin in before:
            begin = before[begin]
        while finish in after:
            finish = after[finish]
        return begin, finish

    def to_json(self) -> dict:
        """A JSON-ready form (see from_json)."""
        return {"anchors": [list(a) for a in self.anchors], "markup": [list(m) for m in self.markup]}

    @classmethod
    def from_json(cls, data: dict) -> "SourceMap":
        """The map written by to_json; ValueError when it is malformed."""
        try:
            return cls(tuple(tuple(a) for a in data["anchors"]), tuple(tuple(m) for m in data.get("markup", ())))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed source map ({exc})") from None


def apply_edits(source: str, edits: list[Edit]) -> tuple[str, SourceMap]:
    """The text with every edit applied, and its map back to `source`; ValueError if edits overlap."""
    out: list[str] = []
    anchors: list[tuple[int, int]] = [(0, 0)]
    markup: list[tuple[int, int]] = []
    plain, position = 0, 0
    for start, end, text, is_markup in sorted(e for e in edits if e[0] < e[1] or e[2]):
        if start < position or end < start or end > len(source):
            raise ValueError(f"edit {start}..{end} overlaps another edit or lies outside the source")
        out.append(source[position:start])
        plain += start - position
        anchors.append((plain, start))
        out.append(text)
        plain += len(text)
        anchors.append((plain, end))
        if is_markup and not text:
            markup.append((start, end))
        position = end
    out.append(source[position:])
    anchors.append((plain + len(source) - position, len(source)))
    return "".join(out), SourceMap(_simplified(anchors), tuple(markup))


def _simplified(anchors: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The same map with repeated anchors and anchors inside one straight copy removed."""
    kept: list[tuple[int, int]] = []
    for anchor in anchors:
        if kept and kept[-1] == anchor:
            continue
        if len(kept) >= 2:
            (p0, s0), (p1, s1) = kept[-2], kept[-1]
            if p1 - p0 == s1 - s0 and anchor[0] - p1 == anchor[1] - s1 and p1 > p0 and anchor[0] > p1:
                kept[-1] = anchor
                continue
        kept.append(anchor)
    return tuple(kept)
