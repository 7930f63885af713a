"""The DSFinV-K export for a range of closings: the standard's CSV files and index.xml in one ZIP file.

The files are written with the ``dsfinvk`` package (pretix's implementation of the
standard's tables). Every table of the standard is in the export, a table without
rows as its header line only, and index.xml describes them all from the same table
models. The closing-level sums (businesscases, payment, cashpointclosing) come from
the figures each closing kept, so the export says what the Z-reports said.
"""

from __future__ import annotations

import gc
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from dsfinvk import models as m
from dsfinvk.collection import Collection
from dsfinvk.table import Model
from sqlalchemy import select
from sqlalchemy.orm import Session

from salon_desk import __version__, paths
from salon_desk.errors import ValidationError
from salon_desk.i18n import _
from salon_desk.models import AppMeta, CashMovement, Closing, Sale, SaleLine, SaleTse, SaleVat
from salon_desk.services.common import Service
from salon_desk.services.fiscal.closing import closing_record
from salon_desk.services.fiscal.dsfinvk_rows import (
    NOT_TAXABLE,
    VAT_NAMES,
    SaleRows,
    ZKey,
    make,
    movement_rows,
    sale_rows,
    vat_key,
)
from salon_desk.services.fiscal.index_xml import DTD_NAME, index_xml
from salon_desk.services.permissions import Permission

DEFAULT_TILL = "KASSE-1"
BRAND = "Salon Desk"


@dataclass(frozen=True)
class ExportResult:
    """Where the export went and what it holds."""

    path: Path
    closings: int
    sales: int
    files: tuple[str, ...]


@dataclass(frozen=True)
class Business:
    """The salon as cashpointclosing and location name it."""

    name: str
    street: str
    postcode: str
    city: str
    tax_number: str


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while the export builds its rows, on again afterwards.

    A year's export holds about 500,000 row objects, none of them in a cycle; each full
    collection walked them all, twelve times, a third of the export's time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _business(session: Session) -> Business:
    stored = dict(session.execute(select(AppMeta.key, AppMeta.value)).all())
    parts = [p.strip() for p in re.split(r"[,\n]", stored.get("business_address", "")) if p.strip()]
    street, postcode, city = (parts[0] if parts else ""), "", ""
    place = re.match(r"^(\d{4,5})\s+(.+)$", parts[-1]) if parts else None
    if place:
        postcode, city = place.group(1), place.group(2)
    return Business(
        stored.get("business_name", "")[:60],
        street[:60],
        postcode,
        city[:62],
        stored.get("tax_number", "")[:20],
    )


def till_id(session: Session) -> str:
    """The till's ID in the export: the TSE client ID when one is set up."""
    return (session.scalar(select(AppMeta.value).where(AppMeta.key == "tse_client_id")) or DEFAULT_TILL)[:50]


class DsfinvkExportService(Service):
    """Export closings ``first``..``last`` (their numbers) as a DSFinV-K ZIP file."""

    def export(self, first: int, last: int, target: Path) -> ExportResult:
        """Write the export; refuses an empty or unknown range, naming the field."""
        self.require(Permission.EXPORT_FISCAL)
        if first < 1 or last < first:
            raise ValidationError(_("The first closing must come before the last one."), "first_closing")
        collection = Collection()
        with _no_cycle_collection():
            with self.db.read() as session:
                chosen = select(Closing).where(Closing.number.between(first, last)).order_by(Closing.number)
                closings = list(session.scalars(chosen))
                if not closings:
                    raise ValidationError(
                        _("There are no closings numbered {first} to {last}.").format(first=first, last=last),
                        "first_closing",
                    )
                till, business = till_id(session), _business(session)
                sales, formatted = 0, {}  # type: ignore[var-annotated]
                for closing in closings:
                    for row in self._closing_rows(session, closing, till, business, formatted):
                        collection.add(row)
                        sales += isinstance(row, m.Bonkopf) and not row._data["BON_ID"].startswith("K")
            files = _write(collection, target, business)
        return ExportResult(target, len(closings), sales, files)

    def _closing_rows(
        self, session: Session, closing: Closing, till: str, business: Business, formatted: dict[Any, object]
    ) -> Iterator[Model]:
        z = ZKey(till, closing.created_at, closing.number, formatted)
        record = closing_record(closing)
        yield from _master_rows(z, record.totals, business, closing, session)
        yield from _sum_rows(z, record)
        for data in _sales(session, closing, till):
            yield from sale_rows(z, data)
        movements = session.scalars(
            select(CashMovement).where(CashMovement.closing_id == closing.id).order_by(CashMovement.number),
        )
        for movement in movements:
            yield from movement_rows(z, movement)


def _master_rows(z: ZKey, totals: object, business: Business, closing: Closing, session: Session) -> Iterator[Model]:
    cash = Decimal(closing.cash_expected)
    card = sum((a for method, a in getattr(totals, "per_payment") if method != "cash"), Decimal("0.00"))
    yield make(
        m.Stamm_Abschluss, z, Z_START_ID=str(closing.first_receipt), Z_ENDE_ID=str(closing.last_receipt),
        NAME=business.name, STRASSE=business.street, PLZ=business.postcode, ORT=business.city, LAND="DEU",
        STNR=business.tax_number, Z_SE_ZAHLUNGEN=cash + card, Z_SE_BARZAHLUNGEN=cash,
    )  # fmt: skip
    yield make(
        m.Stamm_Orte,
        z,
        LOC_NAME=business.name,
        LOC_STRASSE=business.street,
        LOC_PLZ=business.postcode,
        LOC_ORT=business.city,
        LOC_LAND="DEU",
    )
    yield make(
        m.Stamm_Kassen, z, KASSE_BRAND=BRAND, KASSE_MODELL=BRAND, KASSE_SERIENNR=z.till, KASSE_SW_BRAND=BRAND,
        KASSE_SW_VERSION=__version__, KASSE_BASISWAEH_CODE="EUR", KEINE_UST_ZUORDNUNG=False,
    )  # fmt: skip
    yield make(
        m.Stamm_Terminals,
        z,
        TERMINAL_ID=z.till,
        TERMINAL_BRAND=BRAND,
        TERMINAL_MODELL=BRAND,
        TERMINAL_SW_BRAND=BRAND,
        TERMINAL_SW_VERSION=__version__,
    )
    for rate, key in ((Decimal("19.00"), 1), (Decimal("7.00"), 2), (Decimal("0.00"), NOT_TAXABLE)):
        yield make(m.Stamm_USt, z, UST_SCHLUESSEL=key, UST_SATZ=rate, UST_BESCHR=VAT_NAMES[key])
    serial = session.scalar(
        select(Sale.tse_serial)
        .where(Sale.number.between(closing.first_receipt, closing.last_receipt), Sale.tse_serial != "")
        .limit(1)
    )
    if serial:
        key, certificate = _tse_keys(session)
        parts = [certificate[at : at + 1000] for at in range(0, min(len(certificate), 7000), 1000)]
        yield make(
            m.Stamm_TSE,
            z,
            TSE_ID=1,
            TSE_SERIAL=serial[:68],
            TSE_SIG_ALGO="ecdsa-plain-SHA384",
            TSE_ZEITFORMAT="unixTime",
            TSE_PD_ENCODING="UTF-8",
            TSE_PUBLIC_KEY=key[:512] or None,
            **{f"TSE_ZERTIFIKAT_{numeral}": part for numeral, part in zip(CERTIFICATE_PARTS, parts, strict=False)},
        )


CERTIFICATE_PARTS = ("I", "II", "III", "IV", "V", "VI", "VII")


def _tse_keys(session: Session) -> tuple[str, str]:
    """The TSS's public key and certificate, as the TSE settings' connection test kept them ('' when never run)."""
    rows = dict(session.execute(select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_(TSE_KEYS))).all())
    return rows.get("tse_public_key", ""), rows.get("tse_certificate", "")


TSE_KEYS = ("tse_public_key", "tse_certificate")


def _sum_rows(z: ZKey, record: object) -> Iterator[Model]:
    """businesscases, payment and cash_per_currency: the closing's own figures."""
    totals = getattr(record, "totals")
    for vat in totals.per_vat:
        yield make(
            m.Z_GV_Typ,
            z,
            GV_TYP="Umsatz",
            UST_SCHLUESSEL=vat_key(vat.rate),
            Z_UMS_BRUTTO=vat.gross,
            Z_UMS_NETTO=vat.net,
            Z_UST=vat.vat,
        )
    cases = (("Anfangsbestand", totals.opening_float), ("Einzahlung", totals.cash_in), ("Auszahlung", -totals.cash_out))
    for name, amount in (*cases, ("DifferenzSollIst", getattr(record, "cash_difference"))):
        if amount:
            yield make(
                m.Z_GV_Typ,
                z,
                GV_TYP=name,
                UST_SCHLUESSEL=NOT_TAXABLE,
                Z_UMS_BRUTTO=amount,
                Z_UMS_NETTO=amount,
                Z_UST=Decimal(0),
            )
    cash = getattr(record, "cash_expected")
    yield make(m.Z_Zahlart, z, ZAHLART_TYP="Bar", ZAHLART_NAME="Bar", Z_ZAHLART_BETRAG=cash)
    for method, amount in totals.per_payment:
        if method != "cash":
            yield make(m.Z_Zahlart, z, ZAHLART_TYP="Unbar", ZAHLART_NAME="Karte", Z_ZAHLART_BETRAG=amount)
    yield make(m.Z_Waehrungen, z, ZAHLART_WAEH="EUR", ZAHLART_BETRAG_WAEH=cash)


def _sales(session: Session, closing: Closing, till: str) -> Iterator[SaleRows]:
    """The closing's sales with their lines, VAT and TSE details: four column selects, no ORM objects."""
    in_range = Sale.number.between(closing.first_receipt, closing.last_receipt)
    connection = session.connection()  # plain rows: the ORM's loading would double the time
    sales = connection.execute(select(Sale.__table__).where(in_range).order_by(Sale.number)).all()
    lines: dict[int, list[Any]] = {}
    line_rows = select(SaleLine.__table__).join(Sale, Sale.id == SaleLine.sale_id).where(in_range)
    for line in connection.execute(line_rows.order_by(SaleLine.sale_id, SaleLine.position)).all():
        lines.setdefault(line.sale_id, []).append(line)
    vat: dict[int, list[Any]] = {}
    vat_rows = select(SaleVat.__table__).join(Sale, Sale.id == SaleVat.sale_id).where(in_range)
    for row in connection.execute(vat_rows.order_by(SaleVat.sale_id, SaleVat.rate.desc())).all():
        vat.setdefault(row.sale_id, []).append(row)
    tse_rows = select(SaleTse.__table__).join(Sale, Sale.id == SaleTse.sale_id).where(in_range)
    tse = {t.sale_id: t for t in connection.execute(tse_rows).all()}
    originals = _originals(session, [s.reverses_sale_id for s in sales if s.reverses_sale_id], till)
    for sale in sales:
        reverses = originals.get(sale.reverses_sale_id) if sale.reverses_sale_id else None
        yield SaleRows(sale, lines.get(sale.id, []), vat.get(sale.id, []), tse.get(sale.id), reverses)


def _originals(session: Session, sale_ids: list[int], till: str) -> dict[int, tuple[int, ZKey]]:
    """For each cancelled sale: its number and the closing it belongs to (the same key as the closing's rows)."""
    if not sale_ids:
        return {}
    found = {}
    for sale_id, number in session.execute(select(Sale.id, Sale.number).where(Sale.id.in_(sale_ids))):
        closing = session.scalars(
            select(Closing).where(Closing.first_receipt <= number, Closing.last_receipt >= number)
        ).first()
        if closing is not None:
            found[sale_id] = (number, ZKey(till, closing.created_at, closing.number))
    return found


TABLES: tuple[type[Model], ...] = tuple(
    model for model in vars(m).values() if isinstance(model, type) and issubclass(model, Model) and model is not Model
)
"""Every table of the standard, in the order the package defines them."""


def _write(collection: Collection, target: Path, business: Business) -> tuple[str, ...]:
    """The ZIP file: the package writes the CSV files; index.xml and the DTD go with them.

    A table without rows gets one row with no values, which the package writes as the
    header line alone.
    """
    for model in TABLES:
        if model._filename not in collection.records:
            empty = model.__new__(model)
            empty._data = {}
            collection.add(empty)
    with tempfile.TemporaryDirectory() as folder:
        index = Path(folder) / "index.xml"
        index.write_bytes(index_xml(TABLES, business.name, f"{business.postcode} {business.city}".strip()))
        collection.write(str(target), str(index), str(paths.resource_dir() / "dsfinvk" / DTD_NAME))
    return tuple(sorted([*collection.records, "index.xml", DTD_NAME]))
