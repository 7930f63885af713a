"""The cloud TSE (fiskaly SIGN DE) against a local server, and selling through a TSE outage (DESIGN §10)."""

from __future__ import annotations

import csv
import io
import os
import socket
import stat
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from decimal import Decimal

import fiskaly_server
import pytest
from checkout_shop import Shop, make_shop
from fiscal_helpers import CARD, SlowTse, fiscal, sell
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from salon_desk import i18n
from salon_desk.errors import ValidationError
from salon_desk.models import AppMeta, TseAbort, TseOutage
from salon_desk.services import Services, open_services
from salon_desk.services.fiscal.counting import DrawerCount
from salon_desk.services.fiscal.fiskaly import FiskalyConfig, FiskalyTse
from salon_desk.services.fiscal.tse_settings import FILE_NAME, TseSettings, TseSettingsService
from salon_desk.services.checkout.receipt import build_receipt, receipt_text
from salon_desk.services.checkout.tse import FakeTse


@pytest.fixture
def shop(services: Services) -> Shop:
    return make_shop(services)


@pytest.fixture
def tss(httpserver: HTTPServer) -> fiskaly_server.FiskalyServer:
    return fiskaly_server.start(httpserver)


@pytest.fixture
def settings(services: Services, tss: fiskaly_server.FiskalyServer) -> Iterator[TseSettingsService]:
    service = TseSettingsService(services.db, services.workstation)
    service.save(
        TseSettings(
            tss.base_url,
            fiskaly_server.TSS_ID,
            fiskaly_server.CLIENT_ID,
            fiskaly_server.API_KEY,
            fiskaly_server.API_SECRET,
        )
    )
    yield service


def refused_url() -> str:
    """An address where nothing listens: the TSE server is stopped."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v2"


def fiskaly(base_url: str, timeout: float = 3.0) -> FiskalyTse:
    return FiskalyTse(
        FiskalyConfig(
            fiskaly_server.API_KEY, fiskaly_server.API_SECRET, fiskaly_server.TSS_ID, fiskaly_server.CLIENT_ID,
            base_url=base_url, timeout=timeout,
        )
    )  # fmt: skip


def test_a_signed_sale_carries_signature_counter_serial_times_and_qr_code(
    services: Services, shop: Shop, settings: TseSettingsService, tss: fiskaly_server.FiskalyServer
) -> None:
    assert settings.test_connection() == fiskaly_server.SERIAL
    device = settings.adapter()
    sale = sell(services, shop.cut, shop.book, tse=device)
    second = sell(services, shop.shampoo, payment=CARD, tse=device)
    assert (sale.tse.status, sale.tse.serial, sale.tse.transaction) == ("signed", fiskaly_server.SERIAL, "1")
    assert (sale.tse.signature_counter, second.tse.signature_counter) == ("1", "2")
    assert sale.tse.signature == "MEUCIQ-sig-1" and sale.tse.start and sale.tse.finish
    assert sale.tse.qr_code.startswith(f"V0;{fiskaly_server.CLIENT_ID};Kassenbeleg-V1;")
    receipt = build_receipt(services.checkout.get_sale(sale.id), services.checkout.business())
    text = receipt_text(receipt)
    assert f"TSE serial number: {fiskaly_server.SERIAL}" in text and "Signature: MEUCIQ-sig-1" in text
    assert receipt.tse_qr == sale.tse.qr_code  # printed as a QR code, also on a reprint
    amounts = tss.finished[0]["schema"]["standard_v1"]["receipt"]
    assert amounts["amounts_per_vat_rate"] == [
        {"vat_rate": "NORMAL", "amount": "49.00"},
        {"vat_rate": "REDUCED_1", "amount": "20.00"},
    ]
    assert amounts["amounts_per_payment_type"] == [{"payment_type": "CASH", "amount": "69.00"}]
    card = tss.finished[1]["schema"]["standard_v1"]["receipt"]["amounts_per_payment_type"]
    assert card == [{"payment_type": "NON_CASH", "amount": "12.90"}]


def test_selling_through_an_outage_and_the_recovery(
    services: Services, shop: Shop, settings: TseSettingsService, tss: fiskaly_server.FiskalyServer
) -> None:
    """Refused, 5xx and timed out: each sale completes unsigned; the outage runs until the TSE signs again."""
    tss.failure = 503
    broken = sell(services, shop.cut, tse=settings.adapter())
    stopped = sell(services, shop.shampoo, tse=fiskaly(refused_url()))
    tss.failure, tss.delay = 0, 1.5
    slow = sell(services, shop.book, tse=fiskaly(tss.base_url, timeout=0.3))
    tss.delay = 0
    for sale in (broken, stopped, slow):
        assert sale.tse.status == "failed" and not sale.tse.connected and sale.tse.signature == ""
        text = receipt_text(build_receipt(services.checkout.get_sale(sale.id), services.checkout.business()))
        assert "TSE: TSE failed" in text and "Signature" not in text
    i18n.set_language("de")
    german = receipt_text(build_receipt(services.checkout.get_sale(broken.id), services.checkout.business()))
    assert "TSE ausgefallen" in german
    i18n.set_language("en")

    with services.db.read() as session:
        outage = session.scalars(select(TseOutage)).one()
    assert outage.ended_at is None and (outage.first_receipt, outage.last_receipt, outage.sales) == (1, 3, 3)
    assert "503" in outage.cause

    recovered = sell(services, shop.cut, tse=settings.adapter())
    assert recovered.tse.status == "signed"
    with services.db.read() as session:
        outage = session.scalars(select(TseOutage)).one()
    assert outage.ended_at is not None and outage.ended_at >= outage.started_at

    closing = fiscal(services).closing.close(DrawerCount(total="130.90"))
    assert closing.totals.unsigned_sales == 3 and len(closing.totals.outages) == 1
    assert closing.totals.outages[0].sales == 3 and closing.totals.outages[0].ended_at


def test_timeouts_and_refusals_name_their_cause(services: Services, shop: Shop, tss: fiskaly_server.FiskalyServer) -> None:
    sell(services, shop.cut, tse=fiskaly(refused_url()))
    fiscal(services).closing.close(DrawerCount(total="49"))
    tss.delay = 1.0
    sell(services, shop.cut, tse=fiskaly(tss.base_url, timeout=0.2))
    fiscal(services).closing.close(DrawerCount(total="49"))
    i18n.set_language("de")  # the Z-report of a German salon names the cause in German
    try:
        sell(services, shop.cut, tse=fiskaly(refused_url()))
    finally:
        i18n.set_language("en")
    with services.db.read() as session:
        causes = [o.cause for o in session.scalars(select(TseOutage).order_by(TseOutage.id))]
    assert "cannot be reached" in causes[0] and "did not answer within 0.2 s" in causes[1]
    assert causes[2].startswith("Die TSE ist nicht erreichbar")


def test_a_tse_transaction_for_a_sale_not_written_is_recorded_as_aborted(
    services: Services, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from salon_desk.services.checkout import checkout
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(checkout, "write_lines", crash)
    device = FakeTse()
    with pytest.raises(RuntimeError):
        sell(services, shop.cut, tse=device)
    assert services.checkout.list_sales() == [] and len(device.cancelled) == 1 and device.finished == []
    with services.db.read() as session:
        aborted = session.scalars(select(TseAbort)).one()
    assert (aborted.transaction, aborted.cause, aborted.cancelled_on_tse) == ("1", "disk full", True)
    closing = fiscal(services).closing.close(DrawerCount(total="0"))
    assert closing.totals.aborted_tse_transactions == 1


def test_a_second_desk_sells_while_the_first_waits_on_a_slow_tse(services: Services, shop: Shop) -> None:
    url = services.db.url.render_as_string(hide_password=False)
    other = open_services(url)
    slow = SlowTse()
    first: list[object] = []
    waiting = threading.Thread(target=lambda: first.append(sell(services, shop.cut, tse=slow)))
    waiting.start()
    try:
        assert slow.waiting.wait(10)
        second = sell(other, shop.shampoo)  # would wait for the write lock if the TSE call held it
        assert second.number == 2 and first == []
    finally:
        slow.release.set()
        waiting.join()
        other.db.dispose()
    assert first[0].number == 1 and first[0].tse.status == "signed"  # type: ignore[attr-defined]


def test_the_api_secret_stays_out_of_the_database(services: Services, settings: TseSettingsService) -> None:
    with services.db.read() as session:
        stored = " ".join(session.scalars(select(AppMeta.value)))
    assert fiskaly_server.API_SECRET not in stored and fiskaly_server.API_KEY not in stored
    kept = settings.load()
    assert (kept.tss_id, kept.client_id, kept.api_secret) == (fiskaly_server.TSS_ID, fiskaly_server.CLIENT_ID, "")
    from salon_desk import paths

    credentials = paths.home_dir() / FILE_NAME  # no credential store on the test machine: owner-only file
    if credentials.exists():
        assert stat.S_IMODE(os.stat(credentials).st_mode) == 0o600


@pytest.mark.parametrize(
    ("settings_in", "field"),
    [
        (TseSettings("ftp://tse.example", "tss", "client", "k", "s"), "base_url"),
        (TseSettings("https://tse.example", "tss", "", "k", "s"), "client_id"),
        (TseSettings("https://tse.example", "another-tss", "client", "", ""), "api_key"),
    ],
)
def test_wrong_tse_settings_are_refused_naming_the_field(
    services: Services, settings: TseSettingsService, settings_in: TseSettings, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        settings.save(settings_in)
    assert error.value.field == field
    assert settings.load().tss_id == fiskaly_server.TSS_ID  # what was saved stays


def test_wrong_credentials_are_an_outage_not_a_crash(
    services: Services, shop: Shop, tss: fiskaly_server.FiskalyServer
) -> None:
    device = FiskalyTse(
        FiskalyConfig("wrong", "wrong", fiskaly_server.TSS_ID, fiskaly_server.CLIENT_ID, base_url=tss.base_url),
    )
    sale = sell(services, shop.cut, tse=device)
    assert sale.tse.status == "failed" and sale.total_gross == Decimal("49.00")


def test_a_day_through_an_outage_is_closed_and_exported(
    services: Services, shop: Shop, settings: TseSettingsService, tmp_path: Path
) -> None:
    """The issue's end: sell with the TSE server stopped, it comes back, close the day, export the week."""
    from checkout_shop import MANAGER_PIN, add_staff, sign_in_cashier
    from dsfinvk.validate import validate_zip

    from salon_desk.services.fiscal.dsfinvk_export import DsfinvkExportService
    from salon_desk.services.fiscal.zreport import zreport_text

    assert settings.test_connection() == fiskaly_server.SERIAL
    add_staff(services, shop)
    sign_in_cashier(services, shop)
    down = sell(services, shop.cut, tse=fiskaly(refused_url()))
    i18n.set_language("de")
    assert "TSE ausgefallen" in receipt_text(
        build_receipt(services.checkout.get_sale(down.id), services.checkout.business()),
    )
    i18n.set_language("en")
    back = sell(services, shop.shampoo, tse=settings.adapter())
    assert (down.tse.status, back.tse.status) == ("failed", "signed")
    closing = fiscal(services).closing.close(DrawerCount(pieces={Decimal("50"): "1", Decimal("10"): "1", Decimal("1"): "1", Decimal("0.50"): "1", Decimal("0.20"): "2"}))  # fmt: skip
    assert closing.cash_counted == closing.cash_expected == Decimal("61.90")
    report = zreport_text(closing, ("Salon", "Street 1", "1/2/3"))
    assert "Sales not signed by the TSE: 1" in report and "TSE failed" in report and "cannot be reached" in report
    services.workstation.actor = services.staff.sign_in(shop.manager_id, MANAGER_PIN)
    target = tmp_path / "week.zip"
    DsfinvkExportService(services.db, services.workstation).export(1, 1, target)
    assert validate_zip(str(target)) == []
    with zipfile.ZipFile(target) as archive:
        text = archive.read("tse.csv").decode("utf-8")
    [tse] = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert (tse["TSE_SERIAL"], tse["TSE_PUBLIC_KEY"]) == (fiskaly_server.SERIAL, fiskaly_server.PUBLIC_KEY)
    certificate = [tse[f"TSE_ZERTIFIKAT_{n}"] for n in ("I", "II", "III", "IV", "V", "VI", "VII")]
    assert [len(part) for part in certificate] == [1000, 504, 0, 0, 0, 0, 0]
    assert "".join(certificate) == fiskaly_server.CERTIFICATE_BASE64  # the PEM lines and armour taken off
