"""Automations on a big generated database: the per-save cost of 20 rules, the daily events, a bulk change with rules.

    python -m benchmarks.bench_automations --clients 1000000 --database sqlite:////tmp/bench-1m.sqlite3

Clients come from ``benchmarks.generate``. Each figure is measured on the application
and beside it as the plain SQL of the same work sent with the ``sqlite3`` module ("raw"):
for the save, the save without any rule; for the daily events, the INSERT … SELECT
statements that create the tasks and the run log; for the bulk change, the bulk change
without rules. Targets (issue 16): a client save with 20 active rules adds ≤ 5 ms (p95);
the daily birthday and no-visit events on 1,000,000 clients take ≤ 5 s; a bulk assignment
to 100,000 clients with 5 matching rules takes ≤ 10 s.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from dataclasses import replace
from datetime import date, timedelta

from benchmarks import add_common_arguments, sqlite_file
from benchmarks.bench_client_list import ensure_database

SAVES = 200
BULK_TARGET = 100_000
TARGETS = {"save": 0.005, "daily": 5.0, "bulk": 10.0}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(name: str, app: float, raw: float | None, target: float | None, unit: str = "s") -> None:
    scale = 1000 if unit == "ms" else 1
    ratio = f"{app / raw:.1f}" if raw else ""
    limit = f"≤ {target * scale:g}" if target is not None else ""
    raw_text = f"{raw * scale:,.2f}" if raw is not None else ""
    print(f"| {name} | {limit} | {app * scale:,.2f} | {raw_text} | {ratio} |", flush=True)


def clean_rules(services) -> None:  # type: ignore[no-untyped-def]
    from salon_desk.models import AutomationDay, AutomationRule, AutomationRun, Task

    with services.db.transaction() as session:
        for model in (AutomationRun, AutomationRule, AutomationDay, Task):
            session.query(model).delete()
    services.automations.engine._version = None  # noqa: SLF001 - the next event reads the rules again


def save_cost(services) -> None:  # type: ignore[no-untyped-def]
    """p95 of a client save with no rule, then with 20 active rules on "client changed" (two of them acting).

    Twice: the two acting rules assign a category the client holds after the first save (the
    common case of "client changed": nothing to change), then they create a task on every save.
    """
    from salon_desk.services.automations.rules import ActionData, ActionKind, CategoryMode, RuleData, RuleFilter
    from salon_desk.services.events import Event

    categories = {c.name: c.id for c in services.categories.list()}
    regular, vip = categories.get("Stammkunde") or min(categories.values()), categories.get("VIP") or max(categories.values())
    client_id = 1
    card = services.clients.get(client_id)

    def saves() -> list[float]:
        nonlocal card
        times = []
        for n in range(SAVES):
            data = replace(card.data, notes=f"bench {n} {time.time_ns()}")
            start = time.perf_counter()
            card, _changes = services.clients.save(client_id, card.version, data)
            times.append(time.perf_counter() - start)
        return times[5:]

    from salon_desk.services.automations.engine import AutomationEngine

    in_rules: list[float] = []
    listen = AutomationEngine.__call__

    def timed(self, *args):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        listen(self, *args)
        in_rules.append(time.perf_counter() - start)

    AutomationEngine.__call__ = timed  # type: ignore[method-assign]
    acting = {
        "assign a held category": ActionData(ActionKind.ASSIGN_CATEGORY, category_id=regular),
        "create a task": ActionData(ActionKind.CREATE_TASK, title="Bench"),
    }
    for what, action in acting.items():
        clean_rules(services)
        without = saves()
        for n in range(20):
            rule_filter = RuleFilter() if n < 2 else RuleFilter(CategoryMode.ANY, (vip,))
            rule_action = action if n < 2 else acting["assign a held category"]
            services.automations.create(
                RuleData(f"bench {n}", Event.CLIENT_CHANGED, None, rule_filter, (rule_action,), True)
            )
        in_rules.clear()
        with_rules = saves()
        report(f"time in the 20 rules per save (two acting: {what}), p95 (ms)", p95(in_rules[5:]), None,
               TARGETS["save"], "ms")  # fmt: skip
        print(f"save p50 without rules {statistics.median(without) * 1000:.2f} ms, with 20 rules ({what}) "
              f"{statistics.median(with_rules) * 1000:.2f} ms, in the rules p50 "
              f"{statistics.median(in_rules[5:]) * 1000:.2f} ms")  # fmt: skip
        report(f"client save with 20 active rules (two acting: {what}), added p95 (ms)",
               p95(with_rules) - p95(without), None, TARGETS["save"], "ms")  # fmt: skip
        report("the same save, p95 (ms; raw: without rules)", p95(with_rules), p95(without), None, "ms")
    AutomationEngine.__call__ = listen  # type: ignore[method-assign]


def daily(services, url: str) -> None:  # type: ignore[no-untyped-def]
    """The birthday and no-visit rules on every client, once; beside the same INSERT … SELECT in sqlite3."""
    from salon_desk.services.automations.daily import birthday_keys
    from salon_desk.services.automations.rules import ActionData, ActionKind, RuleData
    from salon_desk.services.events import Event

    clean_rules(services)
    task = ActionData(ActionKind.CREATE_TASK, days=0, title="Call")
    services.automations.create(RuleData("birthday", Event.BIRTHDAY, None, actions=(task,), active=True))
    services.automations.create(RuleData("no visit", Event.NO_VISIT, 90, actions=(task,), active=True))
    today = date.today()
    start = time.perf_counter()
    result = services.automations.run_daily(today)
    app = time.perf_counter() - start
    assert result is not None
    print(f"daily: {result.clients:,} clients matched")
    raw = None
    path = sqlite_file(url)
    if path is not None:
        raw = raw_daily(str(path), today, birthday_keys([today]))
    report("daily birthday and no-visit events (s)", app, raw, TARGETS["daily"])


def raw_daily(path: str, today: date, keys: list[int]) -> float:
    """The same work by hand: tasks and a run-log line with its clients for both rules, rolled back."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        birthday = (
            "SELECT id FROM clients WHERE birthday IS NOT NULL AND "
            "CAST(strftime('%m', birthday) AS INTEGER) * 100 + CAST(strftime('%d', birthday) AS INTEGER) IN "
            f"({','.join(map(str, keys))})"
        )
        gone = f"SELECT id FROM clients WHERE last_visit = '{(today - timedelta(days=90)).isoformat()}'"
        for who in (birthday, gone):
            connection.execute(
                "INSERT INTO tasks (client_id, staff_id, title, due_on, created_at, created_by, done_by, outcome) "
                f"SELECT id, NULL, 'Call', ?, ?, 'raw', '', '' FROM ({who})",
                (today.isoformat(), "2026-01-01 00:00:00.000000"),
            )
            line = connection.execute(
                "INSERT INTO automation_runs (at, rule_id, rule_name, client_id, event, action, outcome, detail)"
                " VALUES ('2026-01-01 00:00:00.000000', NULL, 'raw', NULL, 'birthday', 'create_task', 'done', '')"
            ).lastrowid
            connection.execute(f"UPDATE automation_runs SET client_set = {line} WHERE id = {line}")
            connection.execute(f"INSERT INTO automation_run_clients (run_id, client_id) SELECT {line}, id FROM ({who})")
        elapsed = time.perf_counter() - start
        connection.execute("ROLLBACK")
        return elapsed
    finally:
        connection.close()


def bulk(services) -> None:  # type: ignore[no-untyped-def]
    """A bulk assignment to 100,000 clients, without rules and then with 5 matching rules."""
    from salon_desk.services.automations.rules import ActionData, ActionKind, CategoryMode, GroupMode, RuleData, RuleFilter
    from salon_desk.services.categories.categories import CategoryData
    from salon_desk.services.events import Event
    from salon_desk.services.groups.groups import GroupData
    from salon_desk.services.marketing.bulk import Target

    clean_rules(services)
    remove_bench_data(services)  # an earlier run's, if it stopped half-way
    made = [services.categories.create(CategoryData(name=f"Bench {n} {time.time_ns()}"))[0].id for n in range(4)]
    trigger, first, second, third = made
    group = services.groups.create(GroupData(name=f"Bench group {time.time_ns()}"))[0].id
    target = Target.selection(list(range(1, BULK_TARGET + 1)))
    # each bulk change is timed on a settled file: the WAL of the one before copied back, as minutes later at a desk
    services.db.wait_for_checkpoint()
    start = time.perf_counter()
    services.bulk.assign_category(target, trigger)
    without = time.perf_counter() - start
    services.bulk.remove_category(target, trigger)
    rules = [
        (RuleFilter(), ActionData(ActionKind.ASSIGN_CATEGORY, category_id=first)),
        (RuleFilter(CategoryMode.NONE, (second,)), ActionData(ActionKind.ASSIGN_CATEGORY, category_id=second, days=30)),
        (RuleFilter(group_mode=GroupMode.NO_GROUP), ActionData(ActionKind.CREATE_TASK, title="Welcome")),
        (RuleFilter(), ActionData(ActionKind.SET_GROUP, group_id=group)),
        (RuleFilter(CategoryMode.ANY, (trigger,)), ActionData(ActionKind.REMOVE_CATEGORY, category_id=third)),
    ]
    for n, (rule_filter, action) in enumerate(rules):
        services.automations.create(
            RuleData(f"bulk {n}", Event.CATEGORY_ASSIGNED, trigger, rule_filter, (action,), True)
        )
    services.db.wait_for_checkpoint()
    start = time.perf_counter()
    services.bulk.assign_category(target, trigger)
    app = time.perf_counter() - start
    runs = services.automations.run_log(limit=10)
    print(f"bulk: newest run-log lines {[(r.rule_name, r.outcome) for r in runs[:3]]}")
    report(f"bulk assignment to {BULK_TARGET:,} clients with 5 matching rules (s; raw: without rules)", app, without,
           TARGETS["bulk"])  # fmt: skip
    clean_rules(services)
    remove_bench_data(services)  # the next run starts from the same clients


def remove_bench_data(services) -> None:  # type: ignore[no-untyped-def]
    """Delete the categories and the group the bulk step made (their clients' labels are refreshed)."""
    for category in services.categories.list():
        if category.name.startswith("Bench "):
            services.categories.delete(category.id)
    for group in services.groups.list():
        if group.name.startswith("Bench group "):
            services.groups.delete(group.id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser, default_clients=100_000)
    args = parser.parse_args(argv)
    url = args.database or "sqlite:////tmp/salon-bench-automations.sqlite3"
    ensure_database(url, args.clients, args.seed)
    from salon_desk.services import open_services

    services = open_services(url)
    print("| operation | target | app | raw | ratio |\n| --- | --- | --- | --- | --- |")
    save_cost(services)
    daily(services, url)
    bulk(services)
    clean_rules(services)
    services.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
