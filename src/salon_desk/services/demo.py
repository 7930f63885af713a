"""A realistic German demo salon for an empty database, written through the services like a user would.

The German strings (names, streets, catalogue, notes) live in ``resources/demo/*.json``;
a fixed seed makes the same demo every time (dates are relative to ``today``).
"""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from sqlalchemy import bindparam, select, update

from salon_desk.i18n import _
from salon_desk.kinds import DiscountScope, ItemKind
from salon_desk.models import CatalogItem, Client, CustomerGroup, RecipientGroup
from salon_desk.paths import resource_dir
from salon_desk.services import Services
from salon_desk.services.catalogue.catalog import ItemData, OfferData
from salon_desk.services.checkout.checkout import BusinessInfo
from salon_desk.services.categories.categories import TEMPLATES, CategoryData, CategoryInfo
from salon_desk.services.clients.clients import CategoryChanges, ClientData, MembershipData
from salon_desk.services.common import name_key
from salon_desk.services.groups.groups import GroupData

DEMO_SEED = 20_241
CLIENT_COUNT = 120
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ł": "l", "ø": "o", "đ": "d"})


def load_demo_json(name: str) -> Any:
    """One of the demo data files in ``resources/demo``."""
    return json.loads((resource_dir() / "demo" / name).read_text(encoding="utf-8"))


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits for email addresses: ``Jürgen`` → ``juergen``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_ASCII))
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def falling_weights(count: int, offset: int = 10) -> list[float]:
    """Cumulative weights 1/(rank + offset): the first entries of a list are the most common."""
    return list(accumulate(1 / (rank + offset) for rank in range(count)))


@dataclass
class _Demo:
    """What the steps of the demo share: the random source, the data files and the ids created."""

    rng: random.Random
    today: date
    names: dict[str, Any]
    places: dict[str, Any]
    salon: dict[str, Any]
    categories: dict[str, CategoryInfo] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    group_shares: list[tuple[int, float]] = field(default_factory=list)
    last_name_weights: list[float] = field(default_factory=list)


def fill_demo_data(services: Services, *, seed: int = DEMO_SEED, today: date | None = None) -> bool:
    """Fill an empty database with a German demo salon; False, and nothing changed, when it holds data.

    Empty means no clients, customer groups, catalogue items or recipient groups yet
    (the template categories created at first start are expected and get discounts).
    Each step is its own service call, as a user at the desk would make it.
    """
    if has_salon_data(services):
        return False
    demo = _Demo(
        rng=random.Random(seed),
        today=today or date.today(),
        names=load_demo_json("names.json"),
        places=load_demo_json("places.json"),
        salon=load_demo_json("salon.json"),
    )
    demo.last_name_weights = falling_weights(len(demo.names["last"]))
    _set_up_categories(services, demo)
    _create_groups(services, demo)
    _create_catalogue(services, demo)
    _create_offers(services, demo)
    visits, newsletter = _create_clients(services, demo)
    _set_last_visits(services, visits)
    _fill_recipient_group(services, demo, newsletter)
    services.checkout.set_business(BusinessInfo(**demo.salon["business"]))
    return True


def has_salon_data(services: Services) -> bool:
    """True when the database already has clients, groups, catalogue items or recipient groups."""
    with services.db.read() as session:
        for model in (Client, CustomerGroup, CatalogItem, RecipientGroup):
            if session.scalar(select(model.id).limit(1)) is not None:
                return True
    return False


# -- categories, groups, catalogue, offers ---------------------------------------


def template_categories(services: Services) -> dict[str, CategoryInfo]:
    """The template categories by their built-in English name, found by name in any language or by icon."""
    templates = [c for c in services.categories.list() if c.is_template]
    found: dict[str, CategoryInfo] = {}
    for english, _color, icon, _is_default in TEMPLATES:
        keys = {name_key(english), name_key(_(english))}
        match = next((c for c in templates if name_key(c.name) in keys), None)
        match = match or next((c for c in templates if c.icon == icon), None)
        if match is not None:
            found[english] = match
    return found


def _set_up_categories(services: Services, demo: _Demo) -> None:
    """Give the template categories their demo discounts and add the salon's own categories."""
    demo.categories = template_categories(services)
    _give_discounts(services, demo)
    _add_own_categories(services, demo)


def _give_discounts(services: Services, demo: _Demo) -> None:
    """The discounts of the student, senior, staff and VIP templates, as a manager would set them."""
    for english, spec in demo.salon["template_categories"].items():
        info = demo.categories.get(english)
        if info is None:
            continue  # the salon deleted this template: nothing to set up
        data = CategoryData(
            name=info.name,
            description=spec["description"],
            color=info.color,
            icon=info.icon,
            is_default=info.is_default,
            discount_percent=Decimal(spec["discount"]),
            discount_scope=DiscountScope(spec["scope"]),
            applies_to_offers=spec["applies_to_offers"],
        )
        demo.categories[english], _changes = services.categories.update(info.id, info.version, data)


def _add_own_categories(services: Services, demo: _Demo) -> None:
    """Informational categories of the salon's own, reusing any it already has under the same name."""
    existing = {name_key(c.name): c for c in services.categories.list()}
    for spec in demo.salon["own_categories"]:
        if name_key(spec["name"]) in existing:  # the salon already made one like it: use that
            demo.categories[spec["name"]] = existing[name_key(spec["name"])]
            continue
        data = CategoryData(name=spec["name"], description=spec["description"], color=spec["color"], icon=spec["icon"])
        demo.categories[spec["name"]], _changes = services.categories.create(data)


def _create_groups(services: Services, demo: _Demo) -> None:
    """The customer groups (their prices follow once the catalogue exists)."""
    for spec in load_demo_json("catalogue.json")["groups"]:
        data = GroupData(name=spec["name"], description=spec["description"], self_assignable=spec["self_assignable"])
        info, _changes = services.groups.create(data)
        demo.groups[spec["name"]] = info.id
        demo.group_shares.append((info.id, float(spec["share"])))  # a probability, not money


def _create_catalogue(services: Services, demo: _Demo) -> None:
    """Services and products with their VAT rates, restrictions, and the groups' prices."""
    catalogue = load_demo_json("catalogue.json")
    for spec in catalogue["items"]:
        data = ItemData(
            name=spec["name"],
            kind=ItemKind(spec["kind"]),
            price=Decimal(spec["price"]),
            vat_rate=Decimal(spec.get("vat_rate", "19")),
            no_discounts=spec.get("no_discounts", False),
            active=spec.get("active", True),
            restricted_to=frozenset(demo.groups[name] for name in spec.get("restricted_to", ())),
        )
        info, _changes = services.catalog.create_item(data)
        demo.items[spec["name"]] = info.id
    for spec in catalogue["groups"]:
        for item_name, price in spec["prices"].items():
            services.groups.set_price(demo.groups[spec["name"]], demo.items[item_name], Decimal(price))


def _create_offers(services: Services, demo: _Demo) -> None:
    """Special offers dated around today: one running, one past, one coming."""
    for spec in load_demo_json("catalogue.json")["offers"]:
        price, percent = spec.get("offer_price"), spec.get("percent_off")
        data = OfferData(
            name=spec["name"],
            item_ids=frozenset(demo.items[name] for name in spec["items"]),
            starts_on=demo.today + timedelta(days=spec["starts_in_days"]),
            ends_on=demo.today + timedelta(days=spec["ends_in_days"]),
            offer_price=Decimal(price) if price is not None else None,
            percent_off=Decimal(percent) if percent is not None else None,
        )
        services.catalog.create_offer(data)


# -- clients ------------------------------------------------------------------------


def _create_clients(services: Services, demo: _Demo) -> tuple[dict[int, date], list[int]]:
    """The featured clients, then random ones up to CLIENT_COUNT; their last visits and newsletter readers."""
    visits: dict[int, date] = {}
    newsletter: list[int] = []
    featured = demo.salon["featured_clients"]
    planned = [_featured_client(demo, spec) for spec in featured]
    planned += [_random_client(demo) for _index in range(CLIENT_COUNT - len(featured))]
    for data, memberships, visited in planned:
        card, _changes = services.clients.create(data, CategoryChanges(memberships))
        if visited is not None:
            visits[card.id] = visited
        if data.email_consent:
            newsletter.append(card.id)
    return visits, newsletter


_Planned = tuple[ClientData, tuple[MembershipData, ...], date | None]


def _featured_client(demo: _Demo, spec: dict[str, Any]) -> _Planned:
    """A hand-written client from ``salon.json``."""
    fields = {k: v for k, v in spec.items() if k in ClientData.__dataclass_fields__}
    if "birthday" in fields:
        fields["birthday"] = date.fromisoformat(fields["birthday"])
    if "group" in spec:
        fields["group_id"] = demo.groups[spec["group"]]
    wanted = (_membership(demo, c["key"], c.get("valid_for_days"), c.get("since")) for c in spec.get("categories", ()))
    memberships = tuple(m for m in wanted if m is not None)
    days = spec.get("visited_days_ago")
    return ClientData(**fields), memberships, demo.today - timedelta(days=days) if days is not None else None


def _membership(
    demo: _Demo, key: str, valid_for_days: int | None = None, since: str | None = None
) -> MembershipData | None:
    """A membership of the category ``key`` with its proof note, or None when that category is gone."""
    info = demo.categories.get(key)
    if info is None:
        return None
    valid_until = demo.today + timedelta(days=valid_for_days) if valid_for_days is not None else None
    proof = demo.salon["template_categories"].get(key, {}).get("proof", "")
    until = valid_until.strftime("%m/%Y") if valid_until else ""
    if since is None and "{since}" in proof:
        since = str(demo.rng.randint(2012, demo.today.year))
    return MembershipData(info.id, valid_until, proof.format(until=until, since=since))


def _random_client(demo: _Demo) -> _Planned:
    """A random client: a German name, contact details, an age-fitting set of categories, a last visit."""
    rng = demo.rng
    first = rng.choice(demo.names["female"] + demo.names["male"])
    last = rng.choices(demo.names["last"], cum_weights=demo.last_name_weights)[0]
    age = rng.randint(16, 88)
    phone, email = _phone(demo), _email(demo, first, last)
    notes = rng.choice(demo.places["notes"]) if rng.random() < 0.15 else ""
    street, postal_code, city = _address(demo) if rng.random() < 0.65 else ("", "", "")
    data = ClientData(
        first_name=first,
        last_name=last,
        phone=phone,
        email=email,
        birthday=_birthday(demo, age) if rng.random() < 0.5 else None,
        street=street,
        postal_code=postal_code,
        city=city,
        notes=notes,
        email_consent=bool(email) and rng.random() < 0.45,
        sms_consent=bool(phone) and rng.random() < 0.25,
        group_id=_random_group(demo),
    )
    memberships = _random_memberships(demo, age, notes)
    return data, memberships, _random_visit(demo, memberships)


def _phone(demo: _Demo) -> str:
    """A German mobile or landline number in one of the ways people write them, or '' for none."""
    rng = demo.rng
    roll = rng.random()
    if roll < 0.12:
        return ""
    if roll < 0.35:
        area = rng.choices(demo.places["cities"], weights=[c["weight"] for c in demo.places["cities"]])[0]["area"]
        return f"{area} {rng.randint(100_000, 9_999_999)}"
    prefix, number = rng.choice(demo.places["mobile_prefixes"]), rng.randint(1_000_000, 99_999_999)
    pattern = rng.choice(("{p} {n}", "{p}/{n}", "+49 {q} {n}", "{p}-{n}", "+49{q}{n}"))
    return pattern.format(p=prefix, q=prefix[1:], n=number)


def _email(demo: _Demo, first: str, last: str) -> str:
    """An address such as ``juergen.mueller@web.de``, or '' for about a quarter of clients."""
    rng = demo.rng
    if rng.random() < 0.25:
        return ""
    first_part, last_part = ascii_slug(first), ascii_slug(last)
    local = rng.choice(
        (
            f"{first_part}.{last_part}",
            f"{first_part[:1]}.{last_part}",
            f"{last_part}{rng.randint(1, 99)}",
            f"{first_part}{last_part}{rng.randint(60, 99)}",
        )
    )
    return f"{local}@{rng.choice(demo.places['email_domains'])}"


def _address(demo: _Demo) -> tuple[str, str, str]:
    """Street with house number, postal code and city, mostly from around the salon."""
    rng = demo.rng
    cities = demo.places["cities"]
    city = rng.choices(cities, weights=[c["weight"] for c in cities])[0]
    low, high = (int(code) for code in city["postal"])
    number = f"{rng.randint(1, 180)}{rng.choice(('', '', '', 'a', 'b'))}"
    return f"{rng.choice(demo.places['streets'])} {number}", f"{rng.randint(low, high):05d}", city["city"]


def _birthday(demo: _Demo, age: int) -> date:
    """A birthday that makes the client ``age`` years old today."""
    born = demo.today - timedelta(days=age * 365 + age // 4 + demo.rng.randint(1, 364))
    return min(born, date.today())  # the service refuses birthdays in the future


def _random_group(demo: _Demo) -> int | None:
    """A customer group for some clients, by each group's share."""
    roll = demo.rng.random()
    for group_id, share in demo.group_shares:
        roll -= share
        if roll < 0:
            return group_id
    return None


def _random_memberships(demo: _Demo, age: int, notes: str) -> tuple[MembershipData, ...]:
    """Categories that fit the client: regular or new, student or senior by age, now and then VIP or staff."""
    rng = demo.rng
    if rng.random() < 0.06:
        return ()  # a few uncategorised clients, as after an import
    keys = ["Regular client" if rng.random() < 0.55 else "New client"]
    if 18 <= age <= 29 and rng.random() < 0.5:
        keys.append("Student")
    elif age >= 63 and rng.random() < 0.45:
        keys.append("Senior")
    extras = (("VIP", 0.04), ("Staff", 0.015), ("Referral", 0.08), ("Flyer campaign", 0.06), ("Brautstyling", 0.03))
    keys += [key for key, share in extras if rng.random() < share]
    if "llergie" in notes:
        keys.append("Allergie / Unverträglichkeit")
    memberships = (_membership(demo, key, _student_days(demo) if key == "Student" else None) for key in keys)
    return tuple(m for m in memberships if m is not None)


def _student_days(demo: _Demo) -> int:
    """Days a student ID stays valid: mostly months ahead, one in eight already expired."""
    return -demo.rng.randint(1, 200) if demo.rng.random() < 0.125 else demo.rng.randint(30, 720)


def _random_visit(demo: _Demo, memberships: tuple[MembershipData, ...]) -> date | None:
    """The last visit: recent for new clients, up to a year and a half back for the others, none for some."""
    rng = demo.rng
    if rng.random() < 0.12:
        return None
    new_id = demo.categories["New client"].id if "New client" in demo.categories else None
    is_new = any(m.category_id == new_id for m in memberships)
    return demo.today - timedelta(days=rng.randint(1, 60 if is_new else 540))


def _set_last_visits(services: Services, visits: dict[int, date]) -> None:
    """Store the last visits in one executemany UPDATE (the client service has no setter: visits come from sales)."""
    if not visits:
        return
    table = Client.__table__
    statement = update(table).where(table.c.id == bindparam("client_id")).values(last_visit=bindparam("visit"))
    with services.db.engine.begin() as connection:
        connection.execute(statement, [{"client_id": cid, "visit": day} for cid, day in sorted(visits.items())])


def _fill_recipient_group(services: Services, demo: _Demo, client_ids: list[int]) -> None:
    """The newsletter list with the clients who consented to email."""
    info, _changes = services.recipients.create(demo.salon["recipient_group"])
    services.recipients.add_members(info.id, client_ids)
