"""The placeholders of a campaign's subject and body (DESIGN §7), checked on save and filled per recipient."""

from __future__ import annotations

from string import Formatter

from salon_desk.errors import ValidationError
from salon_desk.i18n import _

PLACEHOLDERS = ("first_name", "last_name", "client_category", "customer_group", "salon_name")


def names_in(text: str, field: str) -> list[str]:
    """The placeholder names used in ``text``; a broken brace is a ValidationError naming ``field``."""
    try:
        return [name for _literal, name, _spec, _conv in Formatter().parse(text) if name is not None]
    except ValueError:
        raise ValidationError(
            _("A curly brace is not closed. Write placeholders like {example}; a brace of its own as {open} or {close}.")
            .format(example="{first_name}", open="{{", close="}}"),
            field,
        ) from None


def check(text: str, field: str) -> None:
    """Refuse an unknown placeholder (or one with a format, ``{first_name:>9}``), naming it."""
    for name in names_in(text, field):
        if name not in PLACEHOLDERS:
            raise ValidationError(
                _("The placeholder {{{name}}} is unknown. Known are: {known}.").format(
                    name=name, known=", ".join("{" + p + "}" for p in PLACEHOLDERS)
                ),
                field,
            )
    for _literal, name, spec, conversion in Formatter().parse(text):
        if name is not None and (spec or conversion):
            raise ValidationError(
                _("The placeholder {{{name}}} may not carry a format; write it as {{{name}}}.").format(name=name), field
            )


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each placeholder replaced (checked texts only); missing values become ''."""
    out = []
    for literal, name, _spec, _conv in Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)
