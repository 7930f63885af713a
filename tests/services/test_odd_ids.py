"""Ids beyond any column and values of the wrong type get a domain error, on SQLite and PostgreSQL."""

from __future__ import annotations

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
