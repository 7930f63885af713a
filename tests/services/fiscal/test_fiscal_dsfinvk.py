"""The DSFinV-K export (DESIGN §10): the package's files and index.xml, valid, and summing to the closings."""

from __future__ import annotations

import csv
import gc
import io
import re
import zipfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from checkout_shop import Shop, make_shop, sign_in_cashier
from dsfinvk.validate import validate_zip
from fiscal_helpers import CARD, CASH, cancel, fiscal, sell
from xml.etree import ElementTree as ET

from salon_desk.errors import PermissionDeniedError, ValidationError
from salon_desk.models import CashMovementKind
from salon_desk.services import Services
from salon_desk.services.checkout.checkout import BusinessInfo, Cart, CartLine
from salon_desk.services.fiscal.closing import ClosingRecord
from salon_desk.services.fiscal.counting import DrawerCount
from salon_desk.services.fiscal.dsfinvk_export import DsfinvkExportService
from salon_desk.services.checkout.tse import FakeTse


STANDARD_FILES = {
    "allocation_groups.csv", "businesscases.csv", "cash_per_currency.csv", "cashpointclosing.csv", "cashregister.csv",
    "datapayment.csv", "itemamounts.csv", "lines.csv", "lines_vat.csv", "location.csv", "pa.csv", "payment.csv",
    "references.csv", "slaves.csv", "subitems.csv", "transactions.csv", "transactions_tse.csv", "transactions_vat.csv",
    "tse.csv", "vat.csv",
}  # fmt: skip
"""The 20 files of the DSFinV-K (version 2.x) besides index.xml."""


@pytest.fixture
def shop(services: Services) -> Shop:
    return make_shop(services)


def amount(text: str) -> Decimal:
    """A DSFinV-K number (``1.234,50``) as a Decimal."""
    return Decimal(text.replace(".", "").replace(",", ".")) if text else Decimal(0)


def table(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    with archive.open(name) as file:
        return list(csv.DictReader(io.TextIOWrapper(file, encoding="utf-8"), delimiter=";"))


def a_week(services: Services, shop: Shop) -> list[ClosingRecord]:
    """Three days: discounts, a cancellation, card and cash, a float and cash out, a TSE outage."""
    services.checkout.set_business(BusinessInfo("Salon Schön", "Hauptstr. 1, 80331 München", "143/123/45678"))
    till = fiscal(services)
    till.drawer.record(CashMovementKind.FLOAT, "100.00", "")
    sell(services, shop.cut, tse=FakeTse())
    services.checkout.complete(shop.anna, Cart((CartLine(shop.book), CartLine(shop.cut))), CASH, tse=FakeTse())
    wrong = sell(services, shop.shampoo, payment=CARD)
    first = till.closing.close(DrawerCount(total="203.90"))
    cancel(services, shop, wrong.id)  # the next day, the first day's sale is cancelled
    sell(services, shop.voucher, shop.book, tse=FakeTse(fail_on_finish=True))
    till.drawer.record(CashMovementKind.CASH_OUT, "50.00", "To the bank")
    second = till.closing.close(DrawerCount(total="173.90"))
    third = till.closing.close(DrawerCount(total="173.90"))  # a day without sales
    return [first, second, third]


def test_the_export_of_a_week_validates_and_sums_to_the_closings(
    services: Services, shop: Shop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    closings = a_week(services, shop)
    target = tmp_path / "dsfinvk.zip"
    result = DsfinvkExportService(services.db, services.workstation).export(1, 3, target)
    assert (result.closings, result.sales) == (3, 5)
    capsys.readouterr()
    assert validate_zip(str(target)) == []
    assert capsys.readouterr().out == ""  # the validator prints every malformed number or overlong text

    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        assert names == {"index.xml", "gdpdu-01-08-2002.dtd", *STANDARD_FILES}  # every table, with rows or not
        index = ET.fromstring(archive.read("index.xml"))
        assert {t.findtext("URL") for t in index.iter("Table")} == STANDARD_FILES
        declared = set(re.findall(r"<!ELEMENT (\w+)", archive.read("gdpdu-01-08-2002.dtd").decode("utf-8")))
        assert len(declared) == 46 and {element.tag for element in index.iter()} <= declared
        for unused in ("allocation_groups.csv", "subitems.csv", "pa.csv"):
            header, *rows = archive.read(unused).decode("utf-8").splitlines()
            assert header.startswith("Z_KASSE_ID;Z_ERSTELLUNG;Z_NR") and rows == []
        transactions = table(archive, "transactions.csv")
        cases = table(archive, "businesscases.csv")
        payments = table(archive, "payment.csv")
        items = table(archive, "itemamounts.csv")
        references = table(archive, "references.csv")
        tse = table(archive, "transactions_tse.csv")
        closing_rows = table(archive, "cashpointclosing.csv")

    gross = defaultdict(Decimal)
    for row in transactions:
        if not row["BON_ID"].startswith("K"):
            gross[int(row["Z_NR"])] += amount(row["UMS_BRUTTO"])
    sold = defaultdict(Decimal)
    for row in cases:
        if row["GV_TYP"] == "Umsatz":
            sold[int(row["Z_NR"])] += amount(row["Z_UMS_BRUTTO"])
    cash = {int(r["Z_NR"]): amount(r["Z_ZAHLART_BETRAG"]) for r in payments if r["ZAHLART_TYP"] == "Bar"}
    for closing in closings:
        assert gross[closing.number] == sold[closing.number] == closing.totals.gross
        assert cash[closing.number] == closing.cash_expected
    assert [amount(r["Z_SE_BARZAHLUNGEN"]) for r in closing_rows] == [c.cash_expected for c in closings]

    assert all(r["Z_KASSE_ID"] and r["Z_ERSTELLUNG"] and r["Z_NR"] for r in transactions + items + tse)
    discounts = [r for r in items if r["TYP"] == "discount"]
    assert sum(amount(r["PF_BRUTTO"]) for r in discounts) == -sum(c.totals.discounts for c in closings[:1])
    assert [(r["BON_ID"], r["REF_TYP"], r["REF_BON_ID"], r["REF_Z_NR"]) for r in references] == [
        ("4", "Transaktion", "3", "1"),
    ]
    failed = [r for r in tse if r["TSE_TA_FEHLER"].startswith("TSE ausgefallen")]
    assert [r["BON_ID"] for r in failed] == ["5"] and "told to fail" in failed[0]["TSE_TA_FEHLER"]
    assert [r["TSE_TA_SIGZ"] for r in tse if r["TSE_TA_SIG"]] == ["1", "1"]


def test_wrong_ranges_are_refused_naming_the_field(services: Services, shop: Shop, tmp_path: Path) -> None:
    export = DsfinvkExportService(services.db, services.workstation)
    sell(services, shop.cut)
    fiscal(services).closing.close(DrawerCount(total="49"))
    for first, last in ((2, 1), (0, 1), (5, 9)):
        with pytest.raises(ValidationError) as error:
            export.export(first, last, tmp_path / "x.zip")
        assert error.value.field == "first_closing"
    assert not (tmp_path / "x.zip").exists()
    assert gc.isenabled()  # the export turns the cycle collector off while it runs, and on again after a refusal
    export.export(1, 1, tmp_path / "x.zip")
    assert gc.isenabled() and (tmp_path / "x.zip").exists()


def test_only_a_manager_exports(services: Services, shop: Shop, tmp_path: Path) -> None:
    from checkout_shop import add_staff

    add_staff(services, shop)
    sign_in_cashier(services, shop)
    with pytest.raises(PermissionDeniedError):
        DsfinvkExportService(services.db, services.workstation).export(1, 1, tmp_path / "x.zip")
