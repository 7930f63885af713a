"""DSFinV-K rows of one closing, built with the ``dsfinvk`` package's table models.

Every row hangs off its closing (``Z_KASSE_ID``, ``Z_ERSTELLUNG``, ``Z_NR``). Sales are
``Beleg`` transactions: their lines carry the price before discount and the discount
in itemamounts (``base_amount`` / ``discount``); a cancellation references the sale it
cancels in references. Cash movements are transactions of their own (Anfangsbestand,
Einzahlung, Auszahlung). A sale sold through a TSE outage says so in transactions_tse.
Lines sold at their price without a discount have no itemamounts rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dsfinvk import models as m
from dsfinvk.fields import StringField
from dsfinvk.table import Model

from salon_desk.models import CashMovement, CashMovementKind, PaymentMethod
from salon_desk.services.checkout.tse import NO_TSE_STATUS, SIGNED_STATUS

CENT = Decimal("0.01")
VAT_KEYS = {Decimal("19.00"): 1, Decimal("7.00"): 2, Decimal("10.70"): 3, Decimal("5.50"): 4, Decimal("0.00"): 5}
VAT_NAMES = {
    1: "Regelsteuersatz",
    2: "Ermäßigter Steuersatz",
    3: "Durchschnittsatz",
    4: "Durchschnittsatz",
    5: "Nicht Steuerbar",
}
NOT_TAXABLE = 5
PAYMENT = {PaymentMethod.CASH: ("Bar", "Bar"), PaymentMethod.CARD: ("Unbar", "Karte")}
MOVEMENT_CASES = {
    CashMovementKind.FLOAT: ("Anfangsbestand", Decimal(1)),
    CashMovementKind.CASH_IN: ("Einzahlung", Decimal(1)),
    CashMovementKind.CASH_OUT: ("Auszahlung", Decimal(-1)),
}


Fixed = tuple[tuple[str, object], ...]
"""Column values every row of a kind has, set once on the closing's prototype row."""
SALE_HEAD: Fixed = (("BON_TYP", "Beleg"),)
SALE_LINE: Fixed = (("GV_TYP", "Umsatz"), ("INHAUS", False), ("FAKTOR", Decimal(1)), ("EINHEIT", "Stück"))
SIGNED: Fixed = (("TSE_ID", 1),)
PAYMENT_ROWS: dict[PaymentMethod, Fixed] = {
    method: (("ZAHLART_TYP", kind), ("ZAHLART_NAME", name)) for method, (kind, name) in PAYMENT.items()
}


@dataclass(frozen=True)
class ZKey:
    """What every row of a closing starts with."""

    till: str
    created: datetime
    number: int
    formatted: dict[tuple[type[Model], str, object], object] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    """Numbers and flags as the package formatted them, shared by the closings of one export."""
    prototypes: dict[tuple[type[Model], Fixed], Model] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def fields(self) -> dict[str, object]:
        """Z_KASSE_ID, Z_ERSTELLUNG (local time) and Z_NR."""
        return {"Z_KASSE_ID": self.till, "Z_ERSTELLUNG": self.created.astimezone(), "Z_NR": self.number}

    def prototype(self, model: type[Model], fixed: Fixed = ()) -> Model:
        """A row of ``model`` with this closing's key and the ``fixed`` values, formatted once by the package."""
        found = self.prototypes.get((model, fixed))
        if found is None:
            found = self.prototypes[model, fixed] = model(**self.fields(), **dict(fixed))
        return found


def make(model: type[Model], z: ZKey, fixed: Fixed = (), **values: object) -> Model:
    """One row of ``model`` for closing ``z``; None values stay empty.

    The row starts as a copy of the closing's prototype with the values every such
    row has (``fixed``), and the package's fields
    format the values. A year's export writes about a million rows, mostly with the
    same prices, rates and flags: a number the package has formatted once is reused,
    and text for a field without a pattern is stored as it is, which is all the
    package's field does with it (time stamps and patterned text are set each time).
    """
    row = model.__new__(model)
    row._data = data = z.prototype(model, fixed)._data.copy()
    cache, plain = z.formatted, _plain_text(model)
    for key, value in values.items():
        if value is None:
            continue
        kind = type(value)
        if kind is str:
            if key in plain:
                data[key] = value
            else:
                setattr(row, key, value)
            continue
        if kind is datetime:
            setattr(row, key, value)
            continue
        token = (model, key, value)
        hit = cache.get(token)
        if hit is None:
            setattr(row, key, value)
            cache[token] = data[key]
        else:
            data[key] = hit
    return row


_PLAIN_TEXT: dict[type[Model], frozenset[str]] = {}


def _plain_text(model: type[Model]) -> frozenset[str]:
    """The model's text fields without a pattern: the package stores their value unchanged."""
    found = _PLAIN_TEXT.get(model)
    if found is None:
        found = _PLAIN_TEXT[model] = frozenset(
            f.name for f in model._fields if type(f) is StringField and f.regex is None
        )
    return found


def vat_key(rate: Decimal) -> int:
    """The DSFinV-K key of a VAT rate."""
    return VAT_KEYS.get(Decimal(rate).quantize(CENT), NOT_TAXABLE)


def vat_part(gross: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """Net and VAT of a gross amount, VAT rounded half up to the cent."""
    vat = (gross * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return gross - vat, vat


@dataclass
class SaleRows:
    """What the export reads of one sale: rows of the sales, sale_lines, sale_vat and sale_tse tables."""

    sale: Any
    lines: list[Any]
    vat: list[Any]
    tse: Any | None
    reverses: tuple[int, ZKey] | None  # the cancelled sale's number and its closing


def sale_rows(z: ZKey, data: SaleRows) -> Iterator[Model]:
    """The transaction, its VAT, payment, lines, price parts, reference and TSE rows."""
    sale = data.sale
    bon = str(sale.number)
    yield make(
        m.Bonkopf, z, SALE_HEAD, BON_ID=bon, BON_NR=sale.number, TERMINAL_ID=z.till,
        BON_STORNO=sale.reverses_sale_id is not None, BON_START=sale.started_at.astimezone(),
        BON_ENDE=sale.completed_at.astimezone(), BEDIENER_ID=str(sale.staff_id or ""),
        BEDIENER_NAME=sale.staff_name[:50], UMS_BRUTTO=sale.total_gross,
    )  # fmt: skip
    for vat in data.vat:
        key = vat_key(vat.rate)
        yield make(
            m.Bonkopf_USt,
            z,
            BON_ID=bon,
            UST_SCHLUESSEL=key,
            BON_BRUTTO=vat.gross,
            BON_NETTO=vat.net,
            BON_UST=vat.vat,
        )
    yield make(m.Bonkopf_Zahlarten, z, PAYMENT_ROWS[sale.payment_method], BON_ID=bon, BASISWAEH_BETRAG=sale.total_gross)
    for line in data.lines:
        yield from _line_rows(z, bon, line)
    if data.reverses is not None:
        number, original = data.reverses
        yield make(
            m.Bon_Referenzen, z, BON_ID=bon, REF_TYP="Transaktion", REF_DATUM=original.created.astimezone(),
            REF_Z_KASSE_ID=original.till, REF_Z_NR=original.number, REF_BON_ID=str(number),
        )  # fmt: skip
    yield _tse_row(z, bon, sale, data.tse)


def _line_rows(z: ZKey, bon: str, line: Any) -> Iterator[Model]:
    key, row = vat_key(line.vat_rate), str(line.position)
    cancelled = line.quantity < 0
    yield make(
        m.Bonpos, z, SALE_LINE, BON_ID=bon, POS_ZEILE=row, ARTIKELTEXT=line.item_name[:255],
        POS_TERMINAL_ID=z.till, P_STORNO=cancelled, ART_NR=str(line.item_id or ""), MENGE=Decimal(line.quantity),
        STK_BR=line.unit_price,
    )  # fmt: skip
    net, vat = vat_part(line.line_total, line.vat_rate)
    yield make(
        m.Bonpos_USt,
        z,
        BON_ID=bon,
        POS_ZEILE=row,
        UST_SCHLUESSEL=key,
        POS_BRUTTO=line.line_total,
        POS_NETTO=net,
        POS_UST=vat,
    )
    if not line.discount_amount:
        return  # the price needs no explaining: no rows in itemamounts
    base = line.line_total + line.discount_amount
    base_net, base_vat = vat_part(base, line.vat_rate)
    yield make(
        m.Bonpos_Preisfindung, z, BON_ID=bon, POS_ZEILE=row, TYP="base_amount", UST_SCHLUESSEL=key,
        PF_BRUTTO=base, PF_NETTO=base_net, PF_UST=base_vat,
    )  # fmt: skip
    yield make(
        m.Bonpos_Preisfindung, z, BON_ID=bon, POS_ZEILE=row, TYP="discount", UST_SCHLUESSEL=key,
            PF_BRUTTO=-line.discount_amount, PF_NETTO=net - base_net, PF_UST=vat - base_vat,
        )  # fmt: skip


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _tse_row(z: ZKey, bon: str, sale: Any, tse: Any | None) -> Model:
    if sale.tse_status == SIGNED_STATUS:
        return make(
            m.TSE_Transaktionen, z, SIGNED, BON_ID=bon, TSE_TANR=_number(sale.tse_transaction),
            TSE_TA_START=sale.tse_start, TSE_TA_ENDE=sale.tse_finish,
            TSE_TA_VORGANGSART=(tse.process_type if tse else "") or "Kassenbeleg-V1",
            TSE_TA_SIGZ=_number(sale.tse_signature_counter), TSE_TA_SIG=sale.tse_signature[:512],
            TSE_VORGANGSDATEN=tse.process_data if tse else None,
        )  # fmt: skip
    if sale.tse_status == NO_TSE_STATUS:
        error = "Keine TSE angeschlossen"
    else:
        error = f"TSE ausgefallen: {tse.error if tse and tse.error else 'keine Antwort'}"
    return make(m.TSE_Transaktionen, z, BON_ID=bon, TSE_TA_FEHLER=error[:200])


def movement_rows(z: ZKey, movement: CashMovement) -> Iterator[Model]:
    """A cash movement as a transaction of its own, without VAT (key 5)."""
    case, sign = MOVEMENT_CASES[movement.kind]
    bon, amount = f"K{movement.number}", movement.amount * sign
    yield make(
        m.Bonkopf, z, BON_ID=bon, BON_TYP="Beleg", BON_NAME=case, TERMINAL_ID=z.till, BON_STORNO=False,
        BON_START=movement.at.astimezone(), BON_ENDE=movement.at.astimezone(),
        BEDIENER_ID=str(movement.staff_id or ""), BEDIENER_NAME=movement.staff_name[:50],
        UMS_BRUTTO=amount, BON_NOTIZ=movement.reason[:255] or None,
    )  # fmt: skip
    yield make(
        m.Bonkopf_USt,
        z,
        BON_ID=bon,
        UST_SCHLUESSEL=NOT_TAXABLE,
        BON_BRUTTO=amount,
        BON_NETTO=amount,
        BON_UST=Decimal(0),
    )
    yield make(m.Bonkopf_Zahlarten, z, BON_ID=bon, ZAHLART_TYP="Bar", ZAHLART_NAME="Bar", BASISWAEH_BETRAG=amount)
    yield make(
        m.Bonpos, z, BON_ID=bon, POS_ZEILE="1", ARTIKELTEXT=movement.reason[:255] or case, GV_TYP=case,
        INHAUS=False, P_STORNO=False, MENGE=Decimal(1), STK_BR=amount,
    )  # fmt: skip
    yield make(
        m.Bonpos_USt, z, BON_ID=bon, POS_ZEILE="1", UST_SCHLUESSEL=NOT_TAXABLE, POS_BRUTTO=amount,
        POS_NETTO=amount, POS_UST=Decimal(0),
    )  # fmt: skip
