"""The readable PDF of a client's data export (GDPR Art. 15): the export laid out by QTextDocument."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtCore import QMarginsF

from salon_desk.i18n import _, format_date, format_money
from salon_desk.services.data.backup_files import owner_only_file
from salon_desk.models.campaign import RecipientState
from salon_desk.services.data.import_rows import field_label
from salon_desk.services.marketing.campaigns import state_label


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return format_date(value.astimezone().date())
    if isinstance(value, date):
        return format_date(value)
    return escape(str(value))


def _table(rows: list[tuple[str, Any]]) -> str:
    cells = "".join(f"<tr><td><b>{escape(label)}</b></td><td>{_text(value)}</td></tr>" for label, value in rows)
    return f"<table cellpadding='3'>{cells}</table>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>" if items else "<p>" + _("None.") + "</p>"


def _sales(data: dict[str, Any]) -> str:
    items = []
    for sale in data["sales"]:
        lines = ", ".join(f"{line['quantity']} × {escape(line['item'])}" for line in sale["lines"])
        items.append(
            _("Receipt {number} of {date}: {total} ({lines})").format(
                number=sale["number"], date=_text(sale["date"]), total=format_money(Decimal(sale["total"])), lines=lines
            )
        )
    return _list(items)


def export_html(data: dict[str, Any]) -> str:
    """The export as HTML: details, consent, categories, group, lists, sales, campaign messages, history."""
    details = data["details"]
    name = " ".join(part for part in (details["first_name"], details["last_name"]) if part)
    consent = data["consent"]
    parts = [
        "<h2>" + escape(_("Data held about {name}").format(name=name)) + "</h2>",
        "<p>" + escape(_("Client no. {id}, exported on {date}.").format(id=data["client_id"], date=format_date(date.today())))
        + "</p>",
        "<h3>" + _("Details") + "</h3>",
        _table([(field_label(k), v) for k, v in details.items() if k in ("first_name", "last_name", "phone", "email",
                "birthday", "street", "postal_code", "city", "notes")]
               + [(_("Client since"), details["client_since"]), (_("Last visit"), details["last_visit"])]),  # fmt: skip
        "<h3>" + _("Marketing consent") + "</h3>",
        _table([(_("Email"), consent["email"]["given"]), (_("since"), consent["email"]["since"]),
                (_("SMS"), consent["sms"]["given"]), (_("since"), consent["sms"]["since"])]),  # fmt: skip
        _list([escape(f"{h['channel']}: {_text(h['given_at'])} ({h['source']}) {h['wording']}")
               for h in consent["history"]]),  # fmt: skip
        "<h3>" + _("Customer group") + f"</h3><p>{_text(data['customer_group'])}</p>",
        "<h3>" + _("Categories") + "</h3>",
        _list([escape(c["category"]) + (" (" + _("valid until") + f" {_text(c['valid_until'])})" if c["valid_until"] else "")
               for c in data["categories"]]),  # fmt: skip
        "<h3>" + _("Recipient groups") + "</h3>",
        _list([escape(name) for name in data["recipient_groups"]]),
        "<h3>" + _("Sales") + "</h3>",
        _sales(data),
        "<h3>" + _("Campaign messages") + "</h3>",
        _list([escape(_("{date}: {campaign}, “{subject}” ({state})").format(
            date=_text(m["sent_at"] or m["queued_at"]), campaign=m["campaign"], subject=m["subject"],
            state=state_label(RecipientState(m["state"])))) for m in data.get("campaign_messages", ())]),
        "<h3>" + _("Changes to the client card") + "</h3>",
        _list([f"{_text(h['at'])}: {escape(h['change'])} ({escape(h['by'])})" for h in data["history"]]),
    ]
    return "\n".join(parts)


def write_export_pdf(data: dict[str, Any], target: Path) -> Path:
    """The export as an A4 PDF, readable only by its owner."""
    writer = QPdfWriter(str(target))
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(18, 18, 18, 18),
                    QPageLayout.Unit.Millimeter)  # fmt: skip
    )
    writer.setTitle(_("Client data export"))
    writer.setCreator("Salon Desk")
    document = QTextDocument()
    document.setHtml(export_html(data))
    document.print_(writer)
    del writer  # the file is complete once the writer is gone
    owner_only_file(target)
    return target
