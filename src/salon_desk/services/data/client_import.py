"""Client import, part two: duplicates, categories, the dry run, and all valid rows in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from salon_desk.i18n import _
from salon_desk.models import (
    Category,
    Client,
    ClientCategory,
    ClientErasure,
    ConsentRecord,
    ImportedConsent,
    ImportRun,
    utcnow,
)
from salon_desk.models.category import NAME_MAX
from salon_desk.services.staff import audit
from salon_desk.services.common import Changes, Service, name_key
from salon_desk.services.data.import_files import Table
from salon_desk.services.data.import_rows import (
    Duplicates,
    ImportOptions,
    ParsedRow,
    RowChecker,
    RowError,
    check_mapping,
)
from salon_desk.services.categories.labels import SEPARATOR, refresh_labels
from salon_desk.services.permissions import Permission
from salon_desk.textindex import (
    LEAD_MARK,
    lead_words,
    phone_digits,
    phone_key as phone_column_key,
    sort_name,
    sqlite_search_columns,
    words,
)
from salon_desk.textindex import _UMLAUTS as UMLAUT_SPELLING  # the ä → ae table of the stored search words

CHUNK = 5_000
FTS_INSERT_TRIGGER = "clients_search_ai"
MERGE_FIELDS = ("first_name", "last_name", "phone", "email", "birthday", "street", "postal_code", "city", "notes")
CONSENT_WORDING = "Consent stated in the import file {file}"


@dataclass(frozen=True)
class Duplicate:
    """A row whose email or phone belongs to a client already there."""

    row: int
    client_id: int
    by: str


@dataclass
class ImportPlan:
    """What an import would do: the dry run's answer, and the work list of the real run."""

    total: int
    errors: list[RowError]
    new_rows: list[ParsedRow] = field(default_factory=list)
    duplicates: list[tuple[ParsedRow, Duplicate]] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    categories: dict[str, int] = field(default_factory=dict)
    new_keys: set[str] = field(default_factory=set)

    @property
    def error_rows(self) -> int:
        """How many rows have at least one wrong value."""
        return len({error.row for error in self.errors})


@dataclass(frozen=True)
class ImportResult:
    """What the import did."""

    created: int
    merged: int
    skipped: int
    errors: list[RowError]
    new_categories: list[str]
    changes: Changes


def phone_key(phone: str) -> str:
    """The phone's digits in international form: "0171 23", "+49 171 23" and "0049 17123" are one."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.strip().startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    return "49" + digits[1:] if digits.startswith("0") else digits


class ImportService(Service):
    """Dry run and import of a client file."""

    def dry_run(self, table: Table, options: ImportOptions) -> ImportPlan:
        """Every wrong row, the duplicates and the new categories; nothing is written."""
        check_mapping(options.mapping)
        with self.db.read() as session:
            return self._plan(session, table, options)

    def run(self, table: Table, options: ImportOptions) -> ImportResult:
        """Import the valid rows in one transaction; wrong rows and skipped duplicates are left out."""
        self.require(Permission.EDIT_CLIENTS)
        check_mapping(options.mapping)
        with self.transaction(_("The import")) as session:
            plan = self._plan(session, table, options)
            if plan.new_categories:
                self.require(Permission.EDIT_CATEGORIES)
                self._create_categories(session, plan)
            run = ImportRun(staff_name=self.actor.name[:100], file_name=options.file_name[:260])
            session.add(run)
            session.flush()
            created = self._insert(session, plan, run.id, options.file_name)
            merged = self._merge(session, plan, run.id, options) if options.duplicates == Duplicates.MERGE else []
            run.created, run.merged = len(created), len(merged)
            run.skipped = plan.total - run.created - run.merged
            audit.record(session, self.actor, audit.Action.IMPORT, audit.Entity.CLIENT, None, after={
                "file": options.file_name, "created": run.created, "merged": run.merged, "skipped": run.skipped,
            })  # fmt: skip
        changes = Changes(clients=frozenset(merged), all_clients=True, categories=frozenset(plan.categories.values()))
        return ImportResult(run.created, run.merged, run.skipped, plan.errors, plan.new_categories, changes)

    # -- planning ---------------------------------------------------------------------

    def _parse(self, table: Table, options: ImportOptions) -> tuple[list[ParsedRow], list[RowError]]:
        """Every row checked; the import after a dry run of the same table and mapping reuses the dry run's."""
        key = (tuple(sorted(options.mapping.items())), date.today())
        cached = getattr(self, "_checked", None)
        if cached is not None and cached[0] is table and cached[1] == key:
            return cached[2], list(cached[3])
        checker = RowChecker(options.mapping, date.today())
        parsed = [checker.parse(Table.row_number(i), cells) for i, cells in enumerate(table.rows)]
        self._checked = (table, key, parsed, list(checker.errors))
        return parsed, list(checker.errors)

    def _plan(self, session: Session, table: Table, options: ImportOptions) -> ImportPlan:
        parsed, errors = self._parse(table, options)
        plan = ImportPlan(len(table.rows), errors)
        plan.categories = {key: cid for key, cid in session.execute(select(Category.name_key, Category.id))}
        # Categories are checked on every row, so that the dry run names all wrong fields at once.
        valid = [row for row in parsed if self._categories_known(row, plan, options) and row.valid]
        emails, phones = self._existing_contacts(session)
        seen_email: dict[str, int] = {}
        seen_phone: dict[str, int] = {}
        for row in valid:
            email, phone = str(row.values["email"]).casefold(), phone_key(str(row.values["phone"]))
            earlier = seen_email.get(email) if email else None
            earlier = earlier or (seen_phone.get(phone) if phone else None)
            if earlier is not None:
                plan.errors.append(RowError(row.row, "email" if email in seen_email else "phone",
                                            _("The same client as in row {row}.").format(row=earlier)))  # fmt: skip
                continue
            if email:
                seen_email[email] = row.row
            if phone:
                seen_phone[phone] = row.row
            found = (emails.get(email), "email") if email in emails else (phones.get(phone), "phone")
            if found[0] is not None:
                plan.duplicates.append((row, Duplicate(row.row, found[0], found[1])))
            else:
                plan.new_rows.append(row)
        plan.errors.sort(key=lambda error: error.row)
        return plan

    def _categories_known(self, row: ParsedRow, plan: ImportPlan, options: ImportOptions) -> bool:
        ok = True
        for name in row.categories:
            key = name_key(name)
            if key in plan.categories or key in plan.new_keys:
                continue
            if len(name) > NAME_MAX:
                message = _("A category name may have at most {max} characters.").format(max=NAME_MAX)
            elif options.create_categories:
                plan.new_keys.add(key)
                plan.new_categories.append(name)
                continue
            else:
                message = _("There is no category “{name}”. Tick “Create missing categories” or correct the name.")
                message = message.format(name=name)
            plan.errors.append(RowError(row.row, "categories", message))
            ok = False
        return ok

    def _existing_contacts(self, session: Session) -> tuple[dict[str, int], dict[str, int]]:
        """Email (case-folded) and phone key → client id of every client not erased (one column select)."""
        emails: dict[str, int] = {}
        phones: dict[str, int] = {}
        erased = select(ClientErasure.client_id)
        rows = session.execute(
            select(Client.id, Client.email, Client.phone)
            .where((Client.email != "") | (Client.phone != ""))
            .where(Client.id.not_in(erased))
            .order_by(Client.id)
        )
        for client_id, email, phone in rows:
            if email:
                emails.setdefault(email.casefold(), client_id)
            if phone:
                phones.setdefault(phone_key(phone), client_id)
        return emails, phones

    # -- writing ----------------------------------------------------------------------

    def _create_categories(self, session: Session, plan: ImportPlan) -> None:
        for name in plan.new_categories:
            category = Category(name=name, name_key=name_key(name))
            session.add(category)
            session.flush()
            plan.categories[category.name_key] = category.id
            audit.record(session, self.actor, audit.Action.CREATE, audit.Entity.CATEGORY, category.id,
                         after={"name": name, "source": "import"})  # fmt: skip

    def _insert(self, session: Session, plan: ImportPlan, run_id: int, file_name: str) -> list[int]:
        rows = plan.new_rows
        ids = _new_ids(session, len(rows))
        default = session.scalar(select(Category.id).where(Category.is_default.is_(True)))
        names = {cid: name for cid, name in session.execute(select(Category.id, Category.name))}
        keys = {cid: key for key, cid in plan.categories.items()}
        now, clients, members, consents, records = utcnow(), [], [], [], []
        for client_id, row in zip(ids, rows, strict=True):
            category_ids = sorted({plan.categories[name_key(n)] for n in row.categories}) or ([default] if default else [])
            label = SEPARATOR.join(names[c] for c in sorted(category_ids, key=lambda c: keys.get(c, "")))
            clients.append(_client_row(client_id, row, label, now))
            members += [_member(client_id, cid, now) for cid in category_ids]
            consents += _consents(client_id, run_id, row, file_name)
            records += _records(client_id, row.consents, file_name, self.actor.name)
        connection = session.connection()
        with _deferred_search_index(session, ids[0] if ids else 0):
            for chunk in _chunks(clients):
                connection.execute(insert(Client.__table__), chunk)
        for chunk in _chunks(members):
            connection.execute(insert(ClientCategory.__table__), chunk)
        for chunk in _chunks(consents):
            connection.execute(insert(ImportedConsent.__table__), chunk)
        for chunk in _chunks(records):
            connection.execute(insert(ConsentRecord.__table__), chunk)
        return ids

    def _merge(self, session: Session, plan: ImportPlan, run_id: int, options: ImportOptions) -> list[int]:
        """Fill the empty fields of the existing clients, add categories and stated consents."""
        targets = {dup.client_id: row for row, dup in plan.duplicates}
        updates, members, consents, records = [], [], [], []
        for chunk in _chunks(list(targets)):
            for client in session.execute(select(Client).where(Client.id.in_(chunk))).scalars():
                row = targets[client.id]
                updates.append(_merged_values(client, row))
                new = updates[-1]
                granted = {c: at for c, at in row.consents.items() if new[f"{c}_consent"] != getattr(client, f"{c}_consent")}
                records += _records(client.id, granted, options.file_name, self.actor.name)
                have = {m for m in session.scalars(select(ClientCategory.category_id)
                                                     .where(ClientCategory.client_id == client.id))}  # fmt: skip
                wanted = {plan.categories[name_key(n)] for n in row.categories} - have
                members += [_member(client.id, cid, utcnow()) for cid in sorted(wanted)]
                consents += _consents(client.id, run_id, row, options.file_name)
        if updates:
            # Bound names must differ from the column names in a SET clause, hence the prefix.
            statement = update(Client.__table__).where(Client.__table__.c.id == bindparam("cid"))
            statement = statement.values({k: bindparam(f"v_{k}") for k in updates[0] if k != "cid"})
            params = [{(k if k == "cid" else f"v_{k}"): v for k, v in values.items()} for values in updates]
            session.connection().execute(statement, params)
        for chunk in _chunks(members):
            session.execute(insert(ClientCategory), chunk)
        for chunk in _chunks(consents):
            session.execute(insert(ImportedConsent), chunk)
        for chunk in _chunks(records):
            session.execute(insert(ConsentRecord), chunk)
        for chunk in _chunks(list(targets)):
            refresh_labels(session, Client.id.in_(chunk))
        session.expire_all()
        return list(targets)


@contextmanager
def _deferred_search_index(session: Session, first_id: int) -> Iterator[None]:
    """On SQLite, fill the client text index with one statement after the insert instead of row by row.

    Row by row, FTS5 spends most of an import merging its segments. The insert trigger is
    dropped and created again from its own stored SQL inside the import's transaction, so
    a failed or killed import rolls back to the untouched schema.
    """
    connection = session.connection()
    trigger_sql = None
    if connection.dialect.name == "sqlite":
        trigger_sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (FTS_INSERT_TRIGGER,)
        ).scalar()
    if trigger_sql is None:
        yield
        return
    connection.exec_driver_sql(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
    yield
    connection.exec_driver_sql(trigger_sql)
    lead, others = sqlite_search_columns("clients")
    connection.exec_driver_sql(
        f"INSERT INTO client_search(rowid, lead_words, other_words) SELECT id, {lead}, {others} FROM clients "
        f"WHERE id >= {int(first_id)}"
    )


def _new_ids(session: Session, count: int) -> list[int]:
    """Ids for the new clients, reserved inside the transaction (SQLite holds its write lock)."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        query = text("SELECT nextval(pg_get_serial_sequence('clients', 'id')) FROM generate_series(1, :n)")
        return list(session.scalars(query, {"n": count}))
    first = (session.scalar(select(func.max(Client.id))) or 0) + 1
    return list(range(first, first + count))


@lru_cache(maxsize=65_536)
def _name_words(first_name: str, last_name: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The lead words, the other name words and the sort name; names repeat, so they are cached."""
    names = f"{first_name} {last_name}"
    found = words(names) + words(names.translate(UMLAUT_SPELLING))
    return tuple(lead_words(first_name, last_name)), tuple(dict.fromkeys(found)), sort_name(first_name, last_name)


def search_columns(first_name: str, last_name: str, phone: str, email: str) -> tuple[str, str]:
    """``client_search_text`` and ``sort_name`` of a client, the same words faster for a file of clients."""
    lead, name_words, key = _name_words(first_name, last_name)
    found = dict.fromkeys(name_words)
    found.update(dict.fromkeys(words(phone) + phone_digits(phone) + words(email)))
    others = [word for word in found if word not in lead]
    return " ".join([*lead, LEAD_MARK, *others]), key


def _client_row(client_id: int, row: ParsedRow, label: str, now: Any) -> dict[str, Any]:
    v = row.values
    first, last, phone, email = (str(v[k]) for k in ("first_name", "last_name", "phone", "email"))
    email_at, sms_at = row.consents.get("email"), row.consents.get("sms")
    search, key = search_columns(first, last, phone, email)
    return {
        "id": client_id, "first_name": first, "last_name": last, "phone": phone, "email": email,
        "birthday": v["birthday"], "street": v["street"], "postal_code": v["postal_code"], "city": v["city"],
        "notes": v["notes"], "email_consent": email_at is not None, "email_consent_at": email_at,
        "sms_consent": sms_at is not None, "sms_consent_at": sms_at, "group_id": None,
        "last_visit": v["last_visit"], "search_text": search, "sort_name": key, "phone_digits": phone_column_key(phone), "email_key": email.lower(), "category_label": label, "created_at": now, "updated_at": now,
        "version": 1,
    }  # fmt: skip


def _merged_values(client: Client, row: ParsedRow) -> dict[str, Any]:
    values = {name: getattr(client, name) or row.values.get(name) or getattr(client, name) for name in MERGE_FIELDS}
    for channel in ("email", "sms"):
        given, on = row.consents.get(channel), getattr(client, f"{channel}_consent")
        if channel == "email" and given is not None and client.email_unsubscribed_at is not None:
            given = given if given > client.email_unsubscribed_at else None  # an older consent does not undo an unsubscribe
        values[f"{channel}_consent"] = on or given is not None
        values[f"{channel}_consent_at"] = getattr(client, f"{channel}_consent_at") if on else given
    values["last_visit"] = max(filter(None, (client.last_visit, row.values.get("last_visit"))), default=None)
    first, last, phone, email = (values[k] for k in ("first_name", "last_name", "phone", "email"))
    values["search_text"], values["sort_name"] = search_columns(first, last, phone, email)
    values["phone_digits"], values["email_key"] = phone_column_key(phone), (email or "").lower()
    values["updated_at"] = utcnow()
    values["version"] = client.version + 1
    values["cid"] = client.id
    return values


def _member(client_id: int, category_id: int, now: Any) -> dict[str, Any]:
    return {"client_id": client_id, "category_id": category_id, "assigned_at": now, "assigned_by": "import",
            "valid_until": None, "proof_note": ""}  # fmt: skip


def _consents(client_id: int, run_id: int, row: ParsedRow, file_name: str) -> list[dict[str, Any]]:
    wording = CONSENT_WORDING.format(file=file_name)
    return [
        {"client_id": client_id, "import_run_id": run_id, "channel": channel, "given_at": given,
         "source": "import", "wording": wording}  # fmt: skip
        for channel, given in row.consents.items()
    ]


def _records(client_id: int, consents: dict[str, Any], file_name: str, actor: str) -> list[dict[str, Any]]:
    """Consent records (source "import") dated when the file says consent was given."""
    wording = CONSENT_WORDING.format(file=file_name)
    return [
        {"client_id": client_id, "channel": channel, "granted": True, "kind": "consent", "source": "import",
         "wording": wording, "recorded_by": actor[:100], "recorded_at": given}  # fmt: skip
        for channel, given in consents.items()
    ]


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
