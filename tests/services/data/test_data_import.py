"""Client import (DESIGN §8): reading CSV and Excel, mapping, dry run, duplicates, categories, consent."""

from __future__ import annotations

from datetime import date

import pytest
from data_files import write_csv, write_xlsx
from sqlalchemy import func, select

from salon_desk.errors import PermissionDeniedError, ValidationError
from salon_desk.models import Category, Client, ImportedConsent
from salon_desk.models.staff import Role
from salon_desk.services.clients.clients import ClientData
from salon_desk.services.data.client_import import ImportService
from salon_desk.services.data.import_files import read_table
from salon_desk.services.data.import_rows import Duplicates, ImportOptions, guess_mapping
from salon_desk.services.common import Actor

HEADER = ["Vorname", "Nachname", "Telefon", "E-Mail", "Geburtstag", "PLZ", "Ort", "Kategorie", "Newsletter",
          "Newsletter Datum"]  # fmt: skip
GOOD = [
    ["Jürgen", "Müller", "0171 1234567", "j.mueller@example.de", "24.12.1985", "80331", "München", "VIP", "ja",
     "01.03.2024"],
    ["Änne", "Groß", "", "", "", "", "", "", "", ""],
]  # fmt: skip


def _importer(services) -> ImportService:
    return ImportService(services.db, services.workstation)


def _options(table, **kwargs) -> ImportOptions:
    return ImportOptions(guess_mapping(table.headers), file_name="kunden.csv", **kwargs)


def _count(services) -> int:
    with services.db.read() as session:
        return session.scalar(select(func.count()).select_from(Client))


def test_german_excel_csv_is_read_with_its_encoding_and_separator(tmp_path):
    path = write_csv(tmp_path / "kunden.csv", [HEADER, *GOOD], ";", "cp1252")
    table = read_table(path)
    assert table.headers == HEADER
    assert table.rows[0][:2] == ["Jürgen", "Müller"]
    assert "cp1252" in table.description
    mapping = guess_mapping(table.headers)
    assert mapping[0] == "first_name" and mapping[3] == "email" and mapping[9] == "email_consent_date"
    comma = read_table(write_csv(tmp_path / "c.csv", [HEADER, *GOOD], ",", "utf-8-sig"))
    assert comma.rows[1][1] == "Groß"


def test_import_creates_clients_findable_with_categories_and_dated_consent(services, tmp_path):
    table = read_table(write_csv(tmp_path / "kunden.csv", [HEADER, *GOOD]))
    result = _importer(services).run(table, _options(table))
    assert (result.created, result.merged, result.skipped, result.errors) == (2, 0, 0, [])
    found = services.search.client_ids("mül")
    assert len(found) == 1
    card = services.clients.get(found[0])
    assert card.data.email == "j.mueller@example.de" and card.data.birthday == date(1985, 12, 24)
    assert [m.category.name for m in card.memberships] == ["VIP"]
    assert card.data.email_consent and card.email_consent_at.date() == date(2024, 3, 1)
    with services.db.read() as session:
        consent = session.scalars(select(ImportedConsent)).one()
        assert (consent.client_id, consent.channel, consent.source) == (card.id, "email", "import")
    other = services.clients.get(services.search.client_ids("groß")[0])
    assert not other.data.email_consent  # the file says nothing: no consent
    default = next(c for c in services.categories.list() if c.is_default) if any(
        c.is_default for c in services.categories.list()) else None  # fmt: skip
    assert [m.category_id for m in other.memberships] == ([default.id] if default else [])


def test_dry_run_names_every_wrong_row_and_field_and_writes_nothing(services, tmp_path):
    rows = [HEADER, GOOD[0],
            ["Eva", "Fehler", "abc", "eva@", "31.02.1990", "", "", "", "", ""],
            ["", "", "", "", "", "", "", "", "", ""] + [],
            ["Ole", "Ohnedatum", "", "ole@example.de", "", "", "", "", "ja", ""],
            ["Zoe", "Zukunft", "", "", "01.01.2999", "", "", "Unbekannt", "vielleicht", ""]]  # fmt: skip
    rows[3] = ["", "", "0170 1", "", "", "", "", "", "", ""]
    table = read_table(write_csv(tmp_path / "kunden.csv", rows))
    plan = _importer(services).dry_run(table, _options(table))
    found = {(e.row, e.field) for e in plan.errors}
    assert {(3, "phone"), (3, "email"), (3, "birthday"), (4, "last_name"), (5, "email_consent_date"),
            (6, "birthday"), (6, "email_consent"), (6, "categories")} <= found  # fmt: skip
    assert all(e.row != 2 for e in plan.errors)
    assert plan.error_rows == 4 and len(plan.new_rows) == 1
    assert _count(services) == 0
    result = _importer(services).run(table, _options(table))
    assert result.created == 1 and result.skipped == 4
    assert _count(services) == 1


def test_duplicates_by_email_or_phone_are_skipped_or_merged(services, tmp_path):
    anna, _ = services.clients.create(ClientData(first_name="Anna", last_name="Berger", email="ANNA@example.de"))
    bert, _ = services.clients.create(ClientData(first_name="Bert", last_name="Brandt", phone="+49 171 555"))
    rows = [HEADER,
            ["Anna", "Berger", "0160 99", "anna@example.de", "01.02.1990", "", "Wien", "VIP", "", ""],
            ["Bert", "Brandt", "0171 555", "", "", "10115", "", "", "", ""],
            ["Bert", "Doppelt", "0171-555", "", "", "", "", "", "", ""]]  # fmt: skip
    table = read_table(write_csv(tmp_path / "kunden.csv", rows))
    plan = _importer(services).dry_run(table, _options(table))
    assert [(d.row, d.client_id, d.by) for _, d in plan.duplicates] == [(2, anna.id, "email"), (3, bert.id, "phone")]
    assert [(e.row, e.field) for e in plan.errors] == [(4, "phone")] and "row 3" in plan.errors[0].message
    skipped = _importer(services).run(table, _options(table))
    assert (skipped.created, skipped.merged, skipped.skipped) == (0, 0, 3)
    assert services.clients.get(anna.id).data.city == ""
    merged = _importer(services).run(table, _options(table, duplicates=Duplicates.MERGE))
    assert merged.merged == 2 and _count(services) == 2
    card = services.clients.get(anna.id)
    assert (card.data.city, card.data.phone, card.data.birthday) == ("Wien", "0160 99", date(1990, 2, 1))
    assert card.data.email == "ANNA@example.de"  # a filled field is never overwritten
    assert "VIP" in [m.category.name for m in card.memberships]
    assert services.clients.get(bert.id).data.postal_code == "10115"
    assert services.search.client_ids("0160 99") == [anna.id]  # the merged phone is searchable


def test_unknown_categories_are_created_only_on_request(services, tmp_path):
    rows = [HEADER, ["Ina", "Neu", "", "", "", "", "", "Balayage, VIP", "", ""],
            ["Udo", "Neu", "", "", "", "", "", "balayage", "", ""]]  # fmt: skip
    table = read_table(write_csv(tmp_path / "kunden.csv", rows))
    plan = _importer(services).dry_run(table, _options(table))
    assert [(e.row, e.field) for e in plan.errors] == [(2, "categories"), (3, "categories")]
    assert "Balayage" in plan.errors[0].message
    result = _importer(services).run(table, _options(table, create_categories=True))
    assert result.created == 2 and result.new_categories == ["Balayage"]
    with services.db.read() as session:
        assert session.scalar(select(Category.client_count).where(Category.name == "Balayage")) == 2


def test_excel_file_is_imported(services, tmp_path):
    path = write_xlsx(tmp_path / "kunden.xlsx", [["Vorname", "Nachname", "Telefon", "Kundennummer"],
                                                 ["Karl", "Kaiser", "0171 222", 17], ["Lea", "Lang", "", 18]])  # fmt: skip
    table = read_table(path)
    assert table.rows == [["Karl", "Kaiser", "0171 222", "17"], ["Lea", "Lang", "", "18"]]
    assert _importer(services).run(table, _options(table)).created == 2


def test_mapping_needs_a_name_and_each_field_once(services, tmp_path):
    table = read_table(write_csv(tmp_path / "kunden.csv", [HEADER, *GOOD]))
    with pytest.raises(ValidationError) as error:
        _importer(services).dry_run(table, ImportOptions({2: "phone"}))
    assert error.value.field == "mapping"
    with pytest.raises(ValidationError) as error:
        _importer(services).dry_run(table, ImportOptions({0: "last_name", 1: "last_name"}))
    assert "Last name" in error.value.message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("leer.csv", b"", "is empty"),
        ("bild.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "not a text table"),
        ("kaputt.xlsx", b"PK\x03\x04 not really a zip", "not a readable Excel file"),
        ("brief.txt", "Liebe Kundin,\nvielen Dank für Ihren Besuch.\n".encode(), "not a table"),
        ("falsch.csv", b"Vorname;Nachname\r\nA\x81\x8d;B\x90\r\n", "unknown text encoding"),
        ("nur-kopf.csv", b"Vorname;Nachname\r\n", "no client rows"),
    ],
)
def test_files_that_are_no_client_table_are_refused_plainly(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValidationError) as error:
        read_table(path)
    assert expected in error.value.message and name in error.value.message
    assert error.value.field == "file"


def test_a_50_mb_binary_is_refused(tmp_path):
    path = tmp_path / "film.csv"
    with path.open("wb") as file:
        file.truncate(50_000_000)
    with pytest.raises(ValidationError) as error:
        read_table(path)
    assert "too large" in error.value.message


def test_import_needs_the_right_to_edit_clients(services, tmp_path):
    table = read_table(write_csv(tmp_path / "kunden.csv", [HEADER, *GOOD]))
    services.workstation.actor = Actor(staff_id=9, name="Kasse", role=Role.CASHIER)
    with pytest.raises(PermissionDeniedError):
        _importer(services).run(table, _options(table))
    assert _count(services) == 0


@pytest.mark.parametrize(
    "client",
    [("Jürgen", "Müller", "+49 171 234", "j.mueller3@example.de"), ("", "Ö", "", ""), ("(Test) Anna", "", "0049 1", ""),
     ("Anna-Lena", "von Groß", "0171/55 66", "ANNA@x.de"), ("Zoë", "Æbelø", "", "")],
)  # fmt: skip
def test_imported_search_words_are_the_cards_search_words(client):
    from salon_desk.services.data.client_import import search_columns
    from salon_desk.textindex import client_search_text, sort_name

    assert search_columns(*client) == (client_search_text(*client), sort_name(client[0], client[1]))


def test_the_import_after_a_dry_run_still_sees_clients_added_meanwhile(services, tmp_path):
    table = read_table(write_csv(tmp_path / "kunden.csv", [HEADER, *GOOD]))
    importer = _importer(services)
    assert len(importer.dry_run(table, _options(table)).new_rows) == 2
    services.clients.create(ClientData(first_name="J.", last_name="Müller", email="J.Mueller@example.de"))
    result = importer.run(table, _options(table))  # the rows' checks are reused, duplicates looked up again
    assert (result.created, result.skipped) == (1, 1)
    changed = ImportOptions({1: "last_name"}, file_name="kunden.csv")
    assert importer.dry_run(table, changed).duplicates == []  # another mapping checks the rows afresh
