"""Daily events run once per day per database, whichever desk sees the day first (two engines, SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from automation_helpers import client, log_lines, rule, set_last_visit, tasks_of

from salon_desk.services import Services, open_services
from salon_desk.services.automations.daily import birthday_keys, covered_days
from salon_desk.services.automations.rules import ActionData, ActionKind
from salon_desk.services.events import Event

DAY = date(2026, 3, 10)


@pytest.fixture
def other_desk(services: Services) -> Iterator[Services]:
    """A second desk on the same database: its own engine and connections."""
    desk = open_services(services.db.url.render_as_string(hide_password=False))
    yield desk
    desk.db.dispose()


def call_back(services: Services) -> None:
    rule(services, "Call back", Event.NO_VISIT, ActionData(ActionKind.CREATE_TASK, title="Call"), param=30)
    rule(services, "Birthday", Event.BIRTHDAY, ActionData(ActionKind.CREATE_TASK, title="Congratulate"))


def test_the_first_desk_runs_the_day_and_the_second_does_nothing(services: Services, other_desk: Services) -> None:
    call_back(services)
    anna = client(services, "Anna", birthday=date(1990, 3, 10))
    ben = client(services, "Ben")
    set_last_visit(services, ben, DAY - timedelta(days=30))
    client(services, "Carla", birthday=date(1990, 3, 11))

    first = services.automations.run_daily(DAY)
    second = other_desk.automations.run_daily(DAY)

    assert first is not None and first.clients == 2 and second is None
    assert services.automations.run_daily(DAY) is None  # the same desk again: nothing either
    assert tasks_of(services, anna) == [("Congratulate", DAY, None)]
    assert tasks_of(services, ben) == [("Call", DAY, None)]
    assert sorted(log_lines(services)) == [
        ("Birthday", anna, "create_task", "done"),
        ("Call back", ben, "create_task", "done"),
    ]


def test_two_desks_racing_for_the_day_run_it_once(services: Services, other_desk: Services) -> None:
    call_back(services)
    clients = [client(services, f"C{n}", birthday=date(1980, 3, 10)) for n in range(20)]
    start = threading.Barrier(2)
    results: list[object] = []
    errors: list[BaseException] = []

    def run(desk: Services) -> None:
        start.wait()
        try:
            results.append(desk.automations.run_daily(DAY))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(desk,)) for desk in (services, other_desk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not errors
    assert sorted(r is None for r in results) == [False, True]
    assert all(len(tasks_of(services, c)) == 1 for c in clients)
    assert len(log_lines(services)) == 20


def test_days_no_desk_was_open_are_made_up_for(services: Services) -> None:
    call_back(services)
    assert services.automations.run_daily(DAY) is not None
    sunday_client = client(services, "Sunday")
    set_last_visit(services, sunday_client, DAY + timedelta(days=1) - timedelta(days=30))  # 30 days on 11 March
    monday_client = client(services, "Monday")
    set_last_visit(services, monday_client, DAY + timedelta(days=2) - timedelta(days=30))

    result = services.automations.run_daily(DAY + timedelta(days=2))  # nobody opened Salon Desk on the 11th

    assert result is not None and result.days == (DAY + timedelta(days=1), DAY + timedelta(days=2))
    assert len(tasks_of(services, sunday_client)) == 1 and len(tasks_of(services, monday_client)) == 1


def test_covered_days_and_birthday_keys() -> None:
    assert covered_days(None, DAY) == [DAY]
    assert covered_days(DAY - timedelta(days=1), DAY) == [DAY]
    assert len(covered_days(DAY - timedelta(days=100), DAY)) == 14
    assert birthday_keys([date(2027, 2, 28)]) == [228, 229]  # 29 February counts on the 28th in other years
    assert birthday_keys([date(2028, 2, 28)]) == [228]


def test_a_leap_day_birthday_is_greeted_on_28_february(services: Services) -> None:
    rule(services, "Birthday", Event.BIRTHDAY, ActionData(ActionKind.CREATE_TASK, title="Congratulate"))
    leap = client(services, "Leap", birthday=date(1992, 2, 29))
    services.automations.run_daily(date(2027, 2, 28))
    assert tasks_of(services, leap) == [("Congratulate", date(2027, 2, 28), None)]
