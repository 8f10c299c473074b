"""Saved emails: the subject as heading and title, who sent it to whom and when in plain words, the body's wrapped
lines joined and a quoted reply's marks dropped, an HTML body read as a page, attachments named, bad files named."""

from email.message import EmailMessage

import pytest

from index.documents import DocumentError, load_document


def _save(tmp_path, message, name="mail.eml"):
    path = tmp_path / name
    path.write_bytes(bytes(message))
    return path


def _message(body="Dear Sophie,\n\nYour home will be ready for completion on Friday\n27 March 2026.\n\n"
                  "> On 28 Feb, Sophie wrote:\n> do you have a date yet?\n"):
    message = EmailMessage()
    message["From"] = "Gareth Pryce <gareth@homes.example>"
    message["To"] = "Sophie Marsh <sophie@example.com>"
    message["Subject"] = "Your  completion date"
    message["Date"] = "Tue, 03 Mar 2026 09:14:00 +0000"
    message.set_content(body)
    return message


def test_an_email_reads_as_its_subject_headers_in_words_and_body(tmp_path):
    message = _message()
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="home guide.pdf")
    document = load_document(_save(tmp_path, message))
    assert document.title == "Your completion date"
    assert document.text.split("\n\n") == [
        "Your completion date",
        "Sent by: Gareth Pryce <gareth@homes.example>\nSent to: Sophie Marsh <sophie@example.com>\n"
        "Sent on: Tuesday 3 March 2026, 09:14\nAttached: home guide.pdf",
        "Dear Sophie,",
        "Your home will be ready for completion on Friday 27 March 2026.",  # its wrapped lines joined
        "On 28 Feb, Sophie wrote: do you have a date yet?",  # the quoted reply without its "> " marks
    ]
    assert [document.text[a:b] for a, b in document.headings] == ["Your completion date"]


def test_an_html_only_email_is_read_as_a_page_with_its_headings(tmp_path):
    message = _message()
    message.set_content("<html><body><h2>Keys</h2><p>Collect them from the site office.</p></body></html>",
                        subtype="html")
    document = load_document(_save(tmp_path, message))
    assert document.text.endswith("Keys\n\nCollect them from the site office.")
    assert [document.text[a:b] for a, b in document.headings] == ["Your completion date", "Keys"]


def test_a_file_that_is_no_email_or_holds_no_text_is_an_error_naming_it(tmp_path):
    not_mail = tmp_path / "notes.eml"
    not_mail.write_text("just some words, no headers at all")
    with pytest.raises(DocumentError, match=r"notes\.eml.*not an email"):
        load_document(not_mail)
    empty = EmailMessage()
    empty["X-Mailer"] = "test"
    with pytest.raises(DocumentError, match=r"blank\.eml.*no text"):
        load_document(_save(tmp_path, empty, "blank.eml"))
