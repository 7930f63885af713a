"""Translation and locale formatting: gettext catalogues and babel (CLDR) number formats."""

from __future__ import annotations

import gettext
import locale as _locale
import os
from datetime import date
from decimal import Decimal

from babel import Locale, dates, numbers

from salon_desk.paths import translations_dir

DOMAIN = "salon_desk"
LANGUAGES = {"de": "de_DE", "en": "en_GB"}
CURRENCY = "EUR"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def detect_language() -> str:
    """The system's UI language if we have it, else English."""
    candidates = [os.environ.get(var, "") for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")]
    try:
        candidates.append(_locale.getlocale()[0] or "")
    except ValueError:
        pass
    for candidate in candidates:
        code = candidate.split(":")[0][:2].lower()
        if code in LANGUAGES:
            return code
    return "en"


def set_language(language: str) -> None:
    """Switch every later ``_()`` call and every number format to ``language`` ('de' or 'en')."""
    global _translations, _language
    _language = language if language in LANGUAGES else "en"
    _translations = gettext.translation(DOMAIN, localedir=str(translations_dir()), languages=[_language], fallback=True)


def language() -> str:
    """The active language code."""
    return _language


def locale_name() -> str:
    """The active CLDR locale, e.g. ``de_DE``."""
    return LANGUAGES[_language]


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is defined; translate it with ``_`` where shown."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate with the plural form that fits ``count``."""
    return _translations.ngettext(singular, plural, count)


def format_money(amount: Decimal) -> str:
    """``1.234,50 €`` in German, ``€1,234.50`` in English."""
    return numbers.format_currency(amount, CURRENCY, locale=locale_name())


def format_decimal(amount: Decimal, places: int = 2) -> str:
    """A plain number with exactly ``places`` decimals, for editing money in a text field."""
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return numbers.format_decimal(amount, format=pattern, locale=locale_name())


def format_percent(percent: Decimal) -> str:
    """``10 %`` or ``12,5 %`` in German (``percent`` is in percent, not a fraction)."""
    pattern = Locale.parse(locale_name()).percent_formats[None].pattern.replace("#,##0", "#,##0.##")
    return numbers.format_percent(percent / 100, format=pattern, locale=locale_name())


def format_date(value: date | None) -> str:
    """A short date (``22.11.2026``), or an empty string."""
    if value is None:
        return ""
    return dates.format_date(value, format="medium" if _language == "en" else "dd.MM.yyyy", locale=locale_name())


def parse_decimal(text: str) -> Decimal:
    """Parse a number typed in the active locale (``12,50`` in German); ValueError when it is not one."""
    cleaned = text.strip().replace("€", "").replace("%", "").replace("\u00a0", "").strip()
    if not cleaned:
        raise ValueError("empty")
    try:
        return numbers.parse_decimal(cleaned, locale=locale_name(), strict=True)
    except numbers.NumberFormatError as exc:
        raise ValueError(str(exc)) from exc


set_language(detect_language())
