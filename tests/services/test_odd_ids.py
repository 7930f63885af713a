"""Ids beyond any column and values of the wrong type get a domain error, on SQLite and PostgreSQL."""

from __future__ import annotations

import inspect

import pytest

from salon_desk.errors import NotFoundError, SalonError
from salon_desk.services.clients.clients import ClientData


@pytest.mark.parametrize("client_id", [2**31, 2**63, 10**30, -(2**70)])
def test_an_id_too_large_for_the_column_names_no_client(services, client_id):
    with pytest.raises(NotFoundError):
        services.clients.get(client_id)
    with pytest.raises(NotFoundError):
        services.checkout.client(client_id)
    with pytest.raises(NotFoundError):
        services.groups.set_price(client_id, client_id, None)


def test_a_value_of_the_wrong_type_is_refused_with_a_message(services):
    card = services.clients.create(ClientData(last_name="Typ"))[0]
    with pytest.raises(SalonError):
        services.clients.get("eins")  # type: ignore[arg-type]
    with pytest.raises(SalonError):
        services.clients.save(card.id, "zwei", card.data)  # type: ignore[arg-type]
    assert services.clients.get(card.id).data.last_name == "Typ"


BAD_IDS = ["eins", 1.5, 10**30, None, [1], True]


def id_methods(services):
    """Every public service method whose required arguments are only record ids (and versions)."""
    for service_name, service in vars(services).items():
        if service_name.startswith("_") or not type(service).__module__.startswith("salon_desk.services"):
            continue
        for name, method in inspect.getmembers(service, inspect.ismethod):
            if name.startswith("_"):
                continue
            required = [
                p
                for p in inspect.signature(method).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            if required and all(p.name.endswith(("_id", "version")) for p in required):
                yield f"{service_name}.{name}", method, required


def test_every_lookup_by_id_refuses_wrong_values_with_a_domain_error(services):
    """Text, fractions, lists, None or huge numbers never reach the driver as TypeError or ProgrammingError."""
    methods = list(id_methods(services))
    assert len(methods) >= 15  # clients, categories, groups, catalogue, checkout, staff, segments …
    for label, method, required in methods:
        for bad in BAD_IDS:
            arguments = [bad if p.name.endswith("_id") else 1 for p in required]
            try:
                method(*arguments)
            except SalonError:
                continue
            except Exception as exc:  # noqa: BLE001 - the point is that nothing else escapes
                pytest.fail(f"{label}({bad!r}) raised {type(exc).__name__}: {exc}")
