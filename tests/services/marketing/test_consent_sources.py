"""Consent recorded by the import and the check-in; the GDPR export lists the records and erasure removes them."""

from __future__ import annotations

from datetime import date

import pytest
from data_files import write_csv
from sqlalchemy import func, select

from helpers_staff import signed_in
from salon_desk.errors import ValidationError
from salon_desk.models import ConsentRecord, ImportedConsent, Role
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.clients.consent_log import Flag
from salon_desk.services.data.client_import import ImportService
from salon_desk.services.data.import_files import read_table
from salon_desk.services.data.import_rows import ImportOptions, guess_mapping
from salon_desk.services.data.privacy import PrivacyService
from salon_desk.services.groups.check_in import CheckInService

HEADER = ["Vorname", "Nachname", "Telefon", "E-Mail", "Newsletter", "Newsletter Datum"]


def run_import(services, tmp_path, rows, options=None):
    table = read_table(write_csv(tmp_path / "kunden.csv", [HEADER, *rows]))
    options = options or ImportOptions(guess_mapping(table.headers), file_name="kunden.csv")
    return ImportService(services.db, services.workstation).run(table, options)


def test_import_creates_records_dated_as_the_file_says_and_keeps_imported_consents(services, tmp_path):
    signed_in(services, Role.MANAGER, "Chefin")
    run_import(services, tmp_path, [["Ida", "Import", "", "ida@example.de", "ja", "02.01.2023"],
                                    ["Ole", "Ohne", "", "ole@example.de", "", ""]])  # fmt: skip
    ida, ole = services.search.client_ids("ida")[0], services.search.client_ids("ole")[0]
    [entry] = services.consent.history(ida)
    assert (entry.channel, entry.granted, entry.source, entry.recorded_by) == ("email", True, "import", "Chefin")
    assert entry.recorded_at.date() == date(2023, 1, 2) and "kunden.csv" in entry.wording
    assert services.consent.current(ida).states[Flag.EMAIL].granted
    assert services.consent.history(ole) == []
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ImportedConsent)) == 1


def test_a_merged_import_records_only_new_consent_and_respects_a_later_unsubscribe(services, tmp_path):
    keep = services.clients.create(ClientData(first_name="Kai", last_name="Kern", email="kai@example.de",
                                              email_consent=True))[0].id  # fmt: skip
    left = services.clients.create(ClientData(first_name="Lea", last_name="Lang", email="lea@example.de"))[0].id
    services.consent.unsubscribe([left])
    table = read_table(write_csv(tmp_path / "k.csv", [HEADER, ["Kai", "Kern", "", "kai@example.de", "ja", "01.01.2024"],
                                                      ["Lea", "Lang", "", "lea@example.de", "ja", "01.01.2024"]]))  # fmt: skip
    from salon_desk.services.data.import_rows import Duplicates

    options = ImportOptions(guess_mapping(table.headers), duplicates=Duplicates.MERGE, file_name="k.csv")
    ImportService(services.db, services.workstation).run(table, options)
    assert [e.source for e in services.consent.history(keep)] == ["card"]  # already consenting: no new record
    assert not services.consent.current(left).states[Flag.EMAIL].granted  # the 2024 consent predates the unsubscribe


def test_check_in_records_the_text_shown_with_source_check_in(services):
    client_id = services.clients.create(ClientData(first_name="Anna", last_name="Müller", phone="0171 2"))[0].id
    check_in = CheckInService(services.db, services.workstation)
    choices = check_in.consent_choices(client_id)
    assert [c.flag for c in choices] == [Flag.SMS, Flag.PHONE]  # no email address: no email box
    check_in.record_consent(client_id, {Flag.SMS: True, Flag.PHONE: False}, {Flag.SMS: "SMS ist okay, Text wie gezeigt."})
    [entry] = services.consent.history(client_id)
    assert (entry.channel, entry.source, entry.wording) == ("sms", "check_in", "SMS ist okay, Text wie gezeigt.")
    with pytest.raises(ValidationError) as error:
        check_in.record_consent(client_id, {Flag.EMAIL: True}, {})
    assert error.value.field == "email_consent"


def test_export_lists_the_consent_records_and_erasure_removes_them(services):
    signed_in(services, Role.MANAGER, "Chefin")
    client_id = services.clients.create(ClientData(first_name="Eva", last_name="Ernst", email="eva@example.de"))[0].id
    services.consent.grant(client_id, "email", wording="Newsletter ja")
    services.consent.unsubscribe([client_id])
    privacy = PrivacyService(services.db, services.workstation)
    records = privacy.export(client_id)["consent"]["records"]
    assert [(r["channel"], r["granted"], r["source"], r["wording"], r["recorded_by"]) for r in records] == [
        ("email", True, "card", "Newsletter ja", "Chefin"), ("email", False, "unsubscribe", "", "Chefin")]  # fmt: skip
    assert privacy.export(client_id)["consent"]["email"]["unsubscribed_at"] is not None
    privacy.erase([client_id])
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(ConsentRecord)) == 0
