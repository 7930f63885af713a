"""Staff (DESIGN §8): first manager, PINs as hashes, sign-in lock-out, approval, limits and the idle lock."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from helpers_staff import PINS, add_member, signed_in

from salon_desk.errors import ConflictError, LockedError, PermissionDeniedError, ValidationError
from salon_desk.services.staff.approval import ApprovalPurpose
from salon_desk.models import AuditEntry, Role, StaffMember, utcnow
from salon_desk.services.staff.audit import AuditFilter
from salon_desk.services.staff.staff import StaffData, WrongPinError, wrong_pin_message


def stored(services, staff_id: int) -> StaffMember:
    with services.db.read() as session:
        return session.get(StaffMember, staff_id)


def expire_lock(services, staff_id: int) -> None:
    with services.db.transaction() as session:
        session.get(StaffMember, staff_id).locked_until = utcnow() - timedelta(seconds=1)


# -- first start -------------------------------------------------------------------------


def test_first_start_asks_for_a_manager_and_signs_them_in(services):
    assert services.staff.first_manager_needed()
    actor = services.staff.create_first_manager("  Anna   Berger ", "123456")
    assert (actor.name, actor.role) == ("Anna Berger", Role.MANAGER)
    assert not services.staff.first_manager_needed()
    assert services.staff.sign_in(actor.staff_id, "123456") == actor


def test_a_second_first_manager_is_refused(services):
    services.staff.create_first_manager("Anna", "1234")
    with pytest.raises(PermissionDeniedError):
        services.staff.create_first_manager("Mallory", "9999")
    assert [m.name for m in services.staff.list()] == ["Anna"]


def test_no_default_pin_exists(services):
    assert services.staff.list() == []
    for pin in ("0000", "1234", "123456", ""):
        with pytest.raises(WrongPinError):
            services.staff.sign_in(1, pin)


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", " 1234", "", "１２３４"])
def test_pin_must_have_four_to_eight_digits(services, pin):
    with pytest.raises(ValidationError) as error:
        services.staff.create_first_manager("Anna", pin)
    assert error.value.field == "pin"
    assert services.staff.first_manager_needed()


def test_pin_is_stored_only_as_a_salted_hash(services):
    first = add_member(services, "Anna", Role.MANAGER, "24681357")
    second = add_member(services, "Ben", Role.CASHIER, "24681357")
    hashes = [stored(services, m.id).pin_hash for m in (first, second)]
    assert all(h.startswith("$argon2") and "24681357" not in h for h in hashes)
    assert hashes[0] != hashes[1]


# -- members -----------------------------------------------------------------------------


def test_names_are_required_and_unique(services):
    add_member(services, "Clara Vogel", Role.CASHIER)
    for name in (" clara  VOGEL", "   "):
        with pytest.raises(ValidationError) as error:
            services.staff.create(StaffData(name=name, role=Role.CASHIER), "1234")
        assert error.value.field == "name"


def test_update_changes_name_and_role_and_refuses_a_stale_copy(services):
    member = add_member(services, "Clara", Role.CASHIER)
    saved, changes = services.staff.update(member.id, member.version, StaffData(name="Clara V.", role=Role.FRONT_DESK))
    assert (saved.name, saved.role) == ("Clara V.", Role.FRONT_DESK)
    assert changes.staff == {member.id}
    with pytest.raises(ConflictError):
        services.staff.update(member.id, member.version, StaffData(name="Clara", role=Role.CASHIER))


def test_deactivated_members_cannot_sign_in_and_are_not_listed_for_sign_in(services):
    add_member(services, "Anna", Role.MANAGER)
    clara = add_member(services, "Clara", Role.CASHIER)
    services.staff.deactivate(clara.id, clara.version)
    assert [m.name for m in services.staff.list(include_inactive=False)] == ["Anna"]
    assert [m.name for m in services.staff.list()] == ["Anna", "Clara"]
    with pytest.raises(WrongPinError) as error:
        services.staff.sign_in(clara.id, PINS[Role.CASHIER])
    assert error.value.message == wrong_pin_message()
    services.staff.reactivate(clara.id)
    assert services.staff.sign_in(clara.id, PINS[Role.CASHIER]).name == "Clara"


def test_the_last_active_manager_cannot_be_deactivated_or_demoted(services):
    anna = add_member(services, "Anna", Role.MANAGER)
    with pytest.raises(ValidationError) as error:
        services.staff.deactivate(anna.id)
    assert "at least one active manager" in error.value.message
    with pytest.raises(ValidationError) as error:
        services.staff.update(anna.id, anna.version, StaffData(name="Anna", role=Role.CASHIER))
    assert error.value.field == "role"
    add_member(services, "Bert", Role.MANAGER)
    services.staff.deactivate(anna.id)
    assert not services.staff.get(anna.id).active


def test_reset_pin_replaces_the_old_pin_and_lifts_a_lock(services):
    clara = add_member(services, "Clara", Role.CASHIER)
    for _ in range(5):
        with pytest.raises((WrongPinError, LockedError)):
            services.staff.sign_in(clara.id, "0000")
    assert services.staff.get(clara.id).is_locked()
    services.staff.reset_pin(clara.id, "55667788")
    with pytest.raises(WrongPinError):
        services.staff.sign_in(clara.id, PINS[Role.CASHIER])
    assert services.staff.sign_in(clara.id, "55667788").name == "Clara"


# -- sign-in and lock-out ----------------------------------------------------------------


def test_wrong_pin_and_unknown_member_give_the_same_message(services):
    clara = add_member(services, "Clara", Role.CASHIER)
    messages = set()
    for staff_id in (clara.id, clara.id + 100, None):
        with pytest.raises(WrongPinError) as error:
            services.staff.sign_in(staff_id, "0000")
        messages.add((type(error.value), error.value.message, error.value.field))
    assert messages == {(WrongPinError, "The PIN is not correct.", "pin")}


def test_five_wrong_pins_lock_the_member_for_five_minutes(services):
    clara = add_member(services, "Clara", Role.CASHIER)
    for _ in range(4):
        with pytest.raises(WrongPinError):
            services.staff.sign_in(clara.id, "0000")
    with pytest.raises(LockedError) as locked:
        services.staff.sign_in(clara.id, "0000")
    assert "5 minutes" in locked.value.message
    with pytest.raises(LockedError):  # even the right PIN waits
        services.staff.sign_in(clara.id, PINS[Role.CASHIER])
    member = stored(services, clara.id)
    assert timedelta(minutes=4) < member.locked_until - utcnow() <= timedelta(minutes=5)
    expire_lock(services, clara.id)
    assert services.staff.sign_in(clara.id, PINS[Role.CASHIER]).staff_id == clara.id


def test_a_right_pin_resets_the_count_of_wrong_ones(services):
    clara = add_member(services, "Clara", Role.CASHIER)
    for _ in range(4):
        with pytest.raises(WrongPinError):
            services.staff.sign_in(clara.id, "0000")
    services.staff.sign_in(clara.id, PINS[Role.CASHIER])
    for _ in range(4):
        with pytest.raises(WrongPinError):
            services.staff.sign_in(clara.id, "0000")
    assert not services.staff.get(clara.id).is_locked()


def test_wrong_pins_do_not_invalidate_an_editor_open_elsewhere(services):
    clara = add_member(services, "Clara", Role.CASHIER)
    with pytest.raises(WrongPinError):
        services.staff.sign_in(clara.id, "0000")
    saved, _ = services.staff.update(clara.id, clara.version, StaffData(name="Clara", role=Role.FRONT_DESK))
    assert saved.role is Role.FRONT_DESK


def test_lock_out_is_written_to_the_audit_log(services):
    clara = add_member(services, "Clara", Role.CASHIER)
    for _ in range(5):
        with pytest.raises((WrongPinError, LockedError)):
            services.staff.sign_in(clara.id, "0000")
    rows = services.audit.list(AuditFilter(action="lock_out"))
    assert [(r.entity, r.entity_id, r.staff_name) for r in rows] == [("staff", clara.id, "Salon Desk")]


# -- approval ----------------------------------------------------------------------------


DISCOUNT = {"purpose": ApprovalPurpose.MANUAL_DISCOUNT, "subject": "20"}


def test_a_manager_approves_with_pin_and_reason_and_it_is_recorded(services):
    anna = add_member(services, "Anna", Role.MANAGER)
    clara = signed_in(services, Role.CASHIER, "Clara")
    approval = services.staff.approve(
        anna.id, PINS[Role.MANAGER], "  Complaint ", action="Manual discount 20 %", **DISCOUNT
    )
    assert (approval.manager_id, approval.manager_name, approval.reason) == (anna.id, "Anna", "Complaint")
    services.workstation.actor = services.staff.sign_in(anna.id, PINS[Role.MANAGER])  # the log is for managers
    entry = services.audit.list(AuditFilter(action="approve"))[0]
    assert (entry.staff_name, entry.approved_by, entry.reason) == ("Clara", "Anna", "Complaint")
    assert entry.after == {"action": "Manual discount 20 %"}
    assert clara.role is Role.CASHIER


def test_approval_refuses_wrong_pin_non_manager_lock_and_empty_reason(services):
    anna = add_member(services, "Anna", Role.MANAGER)
    clara = add_member(services, "Clara", Role.CASHIER)
    with pytest.raises(ValidationError) as error:
        services.staff.approve(anna.id, PINS[Role.MANAGER], "   ", **DISCOUNT)
    assert error.value.field == "reason"
    with pytest.raises(PermissionDeniedError):
        services.staff.approve(clara.id, PINS[Role.CASHIER], "Complaint", **DISCOUNT)
    with pytest.raises(WrongPinError) as wrong:
        services.staff.approve(anna.id, "0000", "Complaint", **DISCOUNT)
    assert wrong.value.message == wrong_pin_message()
    for _ in range(4):
        with pytest.raises((WrongPinError, LockedError)):
            services.staff.approve(anna.id, "0000", "Complaint", **DISCOUNT)
    with pytest.raises(LockedError):
        services.staff.approve(anna.id, PINS[Role.MANAGER], "Complaint", **DISCOUNT)
    with services.db.read() as session:
        approvals = session.query(AuditEntry).filter(AuditEntry.action == "approve").count()
    assert approvals == 0


# -- limits and settings -----------------------------------------------------------------


def test_manual_discount_limits_default_and_can_be_changed_by_managers(services):
    assert services.staff.manual_discount_limits() == {
        Role.CASHIER: Decimal("10"),
        Role.FRONT_DESK: Decimal("10"),
        Role.MANAGER: Decimal("100"),
    }
    signed_in(services, Role.MANAGER)
    services.staff.set_manual_discount_limit(Role.CASHIER, Decimal("15.50"))
    assert services.staff.manual_discount_limit(Role.CASHIER) == Decimal("15.50")
    assert services.staff.needs_approval_for_discount(Decimal("15.51"), Role.CASHIER)
    assert not services.staff.needs_approval_for_discount(Decimal("15.50"), Role.CASHIER)
    for wrong in (Decimal("-1"), Decimal("100.01"), Decimal("5.555")):
        with pytest.raises(ValidationError) as error:
            services.staff.set_manual_discount_limit(Role.CASHIER, wrong)
        assert error.value.field == "limit_cashier"
    assert services.staff.manual_discount_limit(Role.CASHIER) == Decimal("15.50")


def test_rules_are_saved_together_or_not_at_all(services):
    signed_in(services, Role.MANAGER)
    with pytest.raises(ValidationError) as error:
        services.staff.set_rules({Role.CASHIER: Decimal("20")}, 9999)
    assert error.value.field == "idle_minutes"
    assert services.staff.manual_discount_limit(Role.CASHIER) == Decimal("10")
    services.staff.set_rules({Role.CASHIER: Decimal("20"), Role.FRONT_DESK: Decimal("10")}, 3)
    assert services.staff.manual_discount_limit(Role.CASHIER) == Decimal("20")
    assert services.staff.idle_lock_minutes() == 3
    changes = services.audit.list(AuditFilter(entity="setting"))
    assert [(r.before, r.after) for r in changes] == [
        ({"idle_lock_minutes": 5}, {"idle_lock_minutes": 3}),
        ({"role": "Cashier", "manual_discount_limit": "10.00"}, {"role": "Cashier", "manual_discount_limit": "20.00"}),
    ]  # the unchanged front-desk limit is not logged


def test_the_signed_in_role_decides_whether_a_discount_needs_approval(services):
    assert not services.staff.needs_approval_for_discount(Decimal("50"))  # Salon Desk itself
    signed_in(services, Role.FRONT_DESK)
    assert services.staff.needs_approval_for_discount(Decimal("10.01"))
    assert not services.staff.needs_approval_for_discount(Decimal("10"))


def test_idle_lock_minutes_default_and_change(services):
    assert services.staff.idle_lock_minutes() == 5
    signed_in(services, Role.MANAGER)
    services.staff.set_idle_lock_minutes(12)
    assert services.staff.idle_lock_minutes() == 12
    with pytest.raises(ValidationError) as error:
        services.staff.set_idle_lock_minutes(-1)
    assert error.value.field == "idle_minutes"
    assert services.staff.idle_lock_minutes() == 12


@pytest.mark.parametrize("role", [Role.CASHIER, Role.FRONT_DESK])
def test_only_managers_edit_staff_limits_and_settings(services, role):
    add_member(services, "Anna", Role.MANAGER)
    signed_in(services, role)
    calls = [
        lambda: services.staff.create(StaffData(name="Eve", role=Role.MANAGER), "1234"),
        lambda: services.staff.set_manual_discount_limit(role, Decimal("100")),
        lambda: services.staff.set_idle_lock_minutes(0),
        lambda: services.staff.reset_pin(1, "1234"),
        lambda: services.staff.deactivate(1),
    ]
    for call in calls:
        with pytest.raises(PermissionDeniedError) as error:
            call()
        assert error.value.message == "This needs the role Manager."
    assert services.staff.manual_discount_limit(role) == Decimal("10")
    assert [m.name for m in services.staff.list()] == ["Anna", f"Test {role.value}"]


def test_repeated_locks_last_longer_so_a_pin_cannot_be_guessed_in_days(services):
    clara = add_member(services, "Clara", Role.CASHIER)
    lengths = []
    for _ in range(4):
        for _ in range(4):
            with pytest.raises(WrongPinError):
                services.staff.sign_in(clara.id, "0000")
        with pytest.raises(LockedError) as locked:
            services.staff.sign_in(clara.id, "0000")
        left = stored(services, clara.id).locked_until - utcnow()
        lengths.append(round(left.total_seconds() / 60))
        assert f"{lengths[-1]} minutes" in locked.value.message
        expire_lock(services, clara.id)
    assert lengths == [5, 15, 60, 60]  # then 5 guesses an hour: a 4-digit PIN takes weeks on average


def test_an_unknown_person_gets_the_locked_answer_from_the_fifth_wrong_pin(services):
    clara = add_member(services, "Clara", Role.CASHIER)
    answers = {}
    for staff_id in (clara.id, clara.id + 100):
        seen = []
        for _ in range(6):
            with pytest.raises((WrongPinError, LockedError)) as error:
                services.staff.sign_in(staff_id, "0000")
            seen.append((type(error.value).__name__, error.value.message, error.value.field))
        answers[staff_id] = seen
    assert answers[clara.id] == answers[clara.id + 100]
    assert answers[clara.id][4][0] == "LockedError"
