"""Saved emails (.eml) as reading text: the subject as a heading, who sent it to whom and when as lines ("Sent by:",
"Sent to:", "Copied to:", "Sent on:", "Attached:"), then its body (the plain-text part, else the HTML one); via the
standard library."""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Callable

from index.errors import DocumentError
from index.markup import reflow

_QUOTE_MARKS = re.compile(r"^(?:[ \t]*>)+[ \t]?", re.MULTILINE)  # "> > " before the lines of a quoted reply


def eml_to_text(path: Path, name: str, html_to_text: Callable[[str], tuple[str, str | None, tuple]]
                ) -> tuple[str, str | None, tuple[tuple[int, int], ...]]:
    """An email's reading text, its title (its subject) and the spans of its headings (the subject, and those of an
    HTML body); `html_to_text` reads an HTML body as a web page is read. Raises DocumentError naming the file
    (`name`) when it cannot be read."""
    try:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    except OSError as exc:
        raise DocumentError(f"{name}: cannot be read ({exc.strerror})") from None
    if not isinstance(message, EmailMessage) or not message.keys():
        raise DocumentError(f"{name}: not an email (no headers such as From, To, Subject)")
    try:
        subject = _header(message, "subject")
        # the headers in words a question uses ("Who sent ...?", "When was it sent?"): the reader found little in
        # "From:" / "Date:" lines (docs/EVALUATION.md, session 36)
        lines = [f"{label}: {value}" for label, value in (
            ("Sent by", _header(message, "from")), ("Sent to", _header(message, "to")),
            ("Copied to", _header(message, "cc")), ("Sent on", _date(_header(message, "date")))) if value]
        body, body_headings = _body(message, html_to_text)
        attached = [part.get_filename() for part in message.iter_attachments() if part.get_filename()]
    except (LookupError, ValueError, TypeError, AttributeError) as exc:  # a malformed header or part
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DocumentError(f"{name}: unreadable email ({reason})") from None
    if attached:
        lines.append("Attached: " + ", ".join(" ".join(f.split()) for f in attached))
    head = (subject + "\n\n" if subject else "") + "\n".join(lines)
    text = head + ("\n\n" + body if body.strip() else "")
    offset = len(head) + 2
    headings = ((0, len(subject)),) if subject else ()
    headings += tuple((a + offset, b + offset) for a, b in body_headings)
    return text, subject or None, headings


def _header(message: EmailMessage, name: str) -> str:
    return " ".join(str(message.get(name, "") or "").split())


def _date(value: str) -> str:
    """A Date header as people write it ("Tuesday 3 March 2026, 09:14"), or as it stands where it is no date."""
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return value
    return f"{when:%A} {when.day} {when:%B %Y, %H:%M}" if when else value


def _body(message: EmailMessage, html_to_text) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The body's reading text and its headings: the plain-text part's wrapped lines joined (a quoted reply's "> "
    marks dropped), else the HTML part read as a page."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", ()
    content = part.get_content()
    if not isinstance(content, str):
        return "", ()
    if part.get_content_subtype() == "html":
        text, _, headings = html_to_text(content)
        return text, headings
    reading = reflow(_QUOTE_MARKS.sub("", content.replace("\r\n", "\n")).strip())
    return reading.text, reading.headings
