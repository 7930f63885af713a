"""One campaign message as a recipient gets it: placeholders filled, the unsubscribe line, correct MIME."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import quote

from salon_desk.i18n import _
from salon_desk.services.marketing.placeholders import fill


@dataclass(frozen=True)
class Letter:
    """What one recipient reads: the subject and the body with its closing lines."""

    subject: str
    body: str


@dataclass(frozen=True)
class Sender:
    """Who the campaign comes from."""

    name: str
    address: str
    salon_name: str


def unsubscribe_subject() -> str:
    """The subject of the unsubscribe mail the client's program writes from the List-Unsubscribe header."""
    return _("Unsubscribe")


def closing_lines(sender: Sender, own_similar_services: bool) -> str:
    """The unsubscribe line (and, for "own similar services", the objection notice) in the salon's language."""
    lines = [
        _("You no longer want to receive our messages? Reply with “{word}” or write to {address}.").format(
            word=unsubscribe_subject(), address=sender.address or _("the salon")
        )
    ]
    if own_similar_services:
        lines.append(
            _(
                "You receive this message as our client. You may object to the use of your email address for "
                "advertising at any time, without costs other than the transmission costs at the basic rates."
            )
        )
    return "\n".join(lines)


def letter(subject: str, body: str, values: dict[str, str], sender: Sender, own_similar_services: bool) -> Letter:
    """The message for one recipient: placeholders filled, the closing lines after a "-- " separator."""
    text = fill(body, values).rstrip()
    closing = closing_lines(sender, own_similar_services)
    return Letter(" ".join(fill(subject, values).split()), f"{text}\n\n-- \n{closing}\n")


def mime(item: Letter, sender: Sender, to_name: str, to_address: str, message_id: str) -> EmailMessage:
    """The email: UTF-8 subject and body, Date, Message-ID and a List-Unsubscribe mailto header."""
    message = EmailMessage()
    message["Subject"] = item.subject
    message["From"] = Address(sender.name or sender.salon_name, addr_spec=sender.address)
    message["To"] = Address(to_name, addr_spec=to_address)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id
    message["List-Unsubscribe"] = f"<mailto:{sender.address}?subject={quote(unsubscribe_subject())}>"
    message.set_content(item.body, charset="utf-8")
    return message


def new_message_id(sender_address: str) -> str:
    """A fresh, globally unique Message-ID on the sender's domain."""
    return make_msgid(domain=sender_address.rpartition("@")[2] or "salon-desk.invalid")
