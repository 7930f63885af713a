"""The conditions of a segment as a form: each condition a row that is off until it is set."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from babel.dates import get_month_names
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError, ValidationError
from salon_desk.i18n import _, language, locale_name, parse_decimal
from salon_desk.services import Services
from salon_desk.services.clients.segment_rules import CategoryMode, GroupMode, SegmentRules, VisitMode
from salon_desk.ui.common.forms import FieldErrors

LIST_HEIGHT = 92


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setObjectName(name)
    return widget


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy" if language() == "de" else "yyyy-MM-dd")
    return edit


def _checklist(name: str, entries: list[tuple[str, int]]) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setMaximumHeight(LIST_HEIGHT)
    for text, data in entries:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def _checked(widget: QListWidget) -> tuple[int, ...]:
    items = (widget.item(row) for row in range(widget.count()))
    return tuple(i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked)


def _check(widget: QListWidget, ids: tuple[int, ...]) -> None:
    for row in range(widget.count()):
        item = widget.item(row)
        wanted = item.data(Qt.ItemDataRole.UserRole) in ids
        item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


def _stacked(*widgets: QWidget) -> QWidget:
    """Widgets one above the other, at the top of their row."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        column.addWidget(widget)
    column.addStretch(1)
    return box


def _qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate.currentDate()


def _pydate(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def _whole(text: str, field: str, message: str) -> int | None:
    """A typed whole number ('' for none), or a ValidationError with ``message`` naming ``field``."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationError(message, field) from None


def _amount(text: str, field: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parse_decimal(text)
    except (ValueError, ArithmeticError, SalonError):
        raise ValidationError(_("Enter the revenue as an amount, e.g. 150,00."), field) from None


class SegmentForm(QWidget):
    """Every condition of DESIGN §7; ``rules()`` reads them (or raises ValidationError naming the field)."""

    sig_changed = Signal()
    """Emitted whenever a condition is changed (the editor then counts again). No arguments."""

    def __init__(self, services: Services, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.errors = errors
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._categories(form)
        self._groups(form)
        self._visits(form)
        self._sales(form)
        self._person(form)
        self._reachable(form)
        self._connect()
        self.sync_enabled()

    def _row(self, form: QFormLayout, label: str, field: str, *widgets: QWidget) -> None:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            line.addWidget(widget, 1 if isinstance(widget, QListWidget | QLineEdit) else 0)
        form.addRow(label, row)
        form.addRow("", self.errors.label_for(field, widgets[-1]))

    def _categories(self, form: QFormLayout) -> None:
        self.category_mode = QComboBox()
        self.category_mode.setObjectName("segmentCategoryModeCombo")
        for text, mode in ((_("— any —"), None), (_("any of"), CategoryMode.ANY), (_("all of"), CategoryMode.ALL),
                           (_("none of"), CategoryMode.NONE)):  # fmt: skip
            self.category_mode.addItem(text, mode)
        categories = [(c.name, c.id) for c in self.services.categories.list()]
        self.category_list = _checklist("segmentCategoryList", categories)
        self.include_expired = _named(QCheckBox(_("including expired")), "segmentIncludeExpiredCheck")
        self._row(form, _("Categories:"), "category_ids", _stacked(self.category_mode, self.include_expired), self.category_list)

    def _groups(self, form: QFormLayout) -> None:
        self.group_mode = QComboBox()
        self.group_mode.setObjectName("segmentGroupModeCombo")
        for text, mode in ((_("— any —"), None), (_("is one of"), GroupMode.ONE_OF), (_("has none"), GroupMode.NONE)):
            self.group_mode.addItem(text, mode)
        self.group_list = _checklist("segmentGroupList", [(g.name, g.id) for g in self.services.groups.list(counts=False)])
        self._row(form, _("Customer group:"), "group_ids", _stacked(self.group_mode), self.group_list)
        self.recipient_combo = QComboBox()
        self.recipient_combo.setObjectName("segmentRecipientCombo")
        self.recipient_combo.addItem(_("— any —"), None)
        for group in self.services.recipients.list():
            self.recipient_combo.addItem(group.name, group.id)
        self._row(form, _("Member of recipient group:"), "recipient_group_id", self.recipient_combo)

    def _visits(self, form: QFormLayout) -> None:
        self.visit_mode = QComboBox()
        self.visit_mode.setObjectName("segmentVisitModeCombo")
        for text, mode in ((_("— any —"), None), (_("before"), VisitMode.BEFORE), (_("within the last … days"), VisitMode.WITHIN),
                           (_("not within the last … days"), VisitMode.NOT_WITHIN), (_("never"), VisitMode.NEVER)):  # fmt: skip
            self.visit_mode.addItem(text, mode)
        self.visit_date = _date_edit("segmentVisitDateEdit")
        self.visit_days = _named(QLineEdit(), "segmentVisitDaysEdit")
        self.visit_days.setPlaceholderText(_("days"))
        self._row(form, _("Last visit:"), "visit_days", self.visit_mode, self.visit_date, self.visit_days)
        form.addRow("", self.errors.label_for("visit_before", self.visit_date))

    def _sales(self, form: QFormLayout) -> None:
        self.sales_check = _named(QCheckBox(_("Sales from")), "segmentSalesCheck")
        self.sales_from, self.sales_to = _date_edit("segmentSalesFromEdit"), _date_edit("segmentSalesToEdit")
        self.sales_from.setDate(QDate.currentDate().addYears(-1))
        self._row(form, _("Sales in a period:"), "sales_to", self.sales_check, self.sales_from, QLabel(_("to")), self.sales_to)
        form.addRow("", self.errors.label_for("sales_from", self.sales_from))
        grid = QGridLayout()
        self.visits_min, self.visits_max = QLineEdit(), QLineEdit()
        self.revenue_min, self.revenue_max = QLineEdit(), QLineEdit()
        names = (("segmentVisitsMinEdit", "visits_min"), ("segmentVisitsMaxEdit", "visits_max"),
                 ("segmentRevenueMinEdit", "revenue_min"), ("segmentRevenueMaxEdit", "revenue_max"))  # fmt: skip
        edits = (self.visits_min, self.visits_max, self.revenue_min, self.revenue_max)
        labels = (_("visits at least"), _("at most"), _("revenue at least"), _("at most"))
        for n, (edit, (name, field), label) in enumerate(zip(edits, names, labels, strict=True)):
            edit.setObjectName(name)
            grid.addWidget(QLabel(label), (n // 2) * 2, (n % 2) * 2)
            grid.addWidget(edit, (n // 2) * 2, (n % 2) * 2 + 1)
            grid.addWidget(self.errors.label_for(field, edit), (n // 2) * 2 + 1, (n % 2) * 2 + 1)
        form.addRow("", grid)

    def _person(self, form: QFormLayout) -> None:
        self.birthday_month = QComboBox()
        self.birthday_month.setObjectName("segmentBirthdayMonthCombo")
        self.birthday_month.addItem(_("— any month —"), None)
        for month in range(1, 13):
            self.birthday_month.addItem(str(get_month_names("wide", locale=locale_name())[month]), month)
        self.birthday_days = _named(QLineEdit(), "segmentBirthdayDaysEdit")
        self.birthday_days.setPlaceholderText(_("within the next … days"))
        self._row(form, _("Birthday:"), "birthday_days", self.birthday_month, self.birthday_days)
        self.created_check = _named(QCheckBox(_("from")), "segmentCreatedCheck")
        self.created_from, self.created_to = _date_edit("segmentCreatedFromEdit"), _date_edit("segmentCreatedToEdit")
        self.created_from.setDate(QDate.currentDate().addYears(-1))
        self._row(form, _("Client since:"), "created_to", self.created_check, self.created_from, QLabel(_("to")), self.created_to)
        self.city = _named(QLineEdit(), "segmentCityEdit")
        self.postal_prefix = _named(QLineEdit(), "segmentPostalPrefixEdit")
        self.postal_prefix.setPlaceholderText(_("postal code starts with"))
        self._row(form, _("City / postal code:"), "postal_prefix", self.city, self.postal_prefix)

    def _reachable(self, form: QFormLayout) -> None:
        """Two rows of check boxes: what the card holds, and which consent was given."""
        self.flags: dict[str, QCheckBox] = {}
        rows = (
            (_("Reachable:"), (("has_email", _("has email"), "segmentHasEmailCheck"),
                               ("has_phone", _("has phone"), "segmentHasPhoneCheck"))),
            (_("Consent given:"), (("email_consent", _("email consent"), "segmentEmailConsentCheck"),
                                   ("sms_consent", _("SMS consent"), "segmentSmsConsentCheck"),
                                   ("phone_consent", _("phone consent"), "segmentPhoneConsentCheck"))),
        )  # fmt: skip
        for label, checks in rows:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            for field, text, name in checks:
                self.flags[field] = _named(QCheckBox(text), name)  # type: ignore[assignment]
                line.addWidget(self.flags[field])
            line.addStretch(1)
            form.addRow(label, row)

    def sync_enabled(self) -> None:
        """Only what the chosen modes use can be edited: the lists once a mode is chosen, the date or days of the visit."""
        self.category_list.setEnabled(self.category_mode.currentData() is not None)
        self.include_expired.setEnabled(self.category_mode.currentData() is not None)
        self.group_list.setEnabled(self.group_mode.currentData() == GroupMode.ONE_OF)
        mode = self.visit_mode.currentData()
        self.visit_date.setVisible(mode == VisitMode.BEFORE)
        self.visit_days.setVisible(mode in (VisitMode.WITHIN, VisitMode.NOT_WITHIN))
        for widget in (self.sales_from, self.sales_to, self.visits_min, self.visits_max, self.revenue_min, self.revenue_max):
            widget.setEnabled(self.sales_check.isChecked())
        for widget in (self.created_from, self.created_to):
            widget.setEnabled(self.created_check.isChecked())

    def _connect(self) -> None:
        self.sig_changed.connect(self.sync_enabled)
        for combo in (self.category_mode, self.group_mode, self.recipient_combo, self.visit_mode, self.birthday_month):
            combo.currentIndexChanged.connect(self.sig_changed)
        for edit in (self.visit_days, self.visits_min, self.visits_max, self.revenue_min, self.revenue_max,
                     self.birthday_days, self.city, self.postal_prefix):  # fmt: skip
            edit.textChanged.connect(self.sig_changed)
        for dates in (self.visit_date, self.sales_from, self.sales_to, self.created_from, self.created_to):
            dates.dateChanged.connect(self.sig_changed)
        for check in (self.include_expired, self.sales_check, self.created_check, *self.flags.values()):
            check.toggled.connect(self.sig_changed)
        for listing in (self.category_list, self.group_list):
            listing.itemChanged.connect(self.sig_changed)

    # -- reading and writing -----------------------------------------------------------

    def rules(self) -> SegmentRules:
        """The conditions as typed; a ValidationError names the field that cannot be read."""
        visit_mode = self.visit_mode.currentData()
        rules = SegmentRules(
            category_mode=self.category_mode.currentData(),
            category_ids=_checked(self.category_list) if self.category_mode.currentData() else (),
            include_expired=self.include_expired.isChecked(),
            group_mode=self.group_mode.currentData(),
            group_ids=_checked(self.group_list) if self.group_mode.currentData() == GroupMode.ONE_OF else (),
            recipient_group_id=self.recipient_combo.currentData(),
            visit_mode=visit_mode,
            visit_before=_pydate(self.visit_date) if visit_mode == VisitMode.BEFORE else None,
            visit_days=_whole(self.visit_days.text(), "visit_days", _("Enter the number of days as a whole number."))
            if visit_mode in (VisitMode.WITHIN, VisitMode.NOT_WITHIN) else None,
            birthday_month=self.birthday_month.currentData(),
            birthday_days=_whole(self.birthday_days.text(), "birthday_days", _("Enter the number of days as a whole number.")),
            city=self.city.text(),
            postal_prefix=self.postal_prefix.text(),
            **{field: check.isChecked() for field, check in self.flags.items()},
        )  # fmt: skip
        if self.created_check.isChecked():
            rules = replace(rules, created_from=_pydate(self.created_from), created_to=_pydate(self.created_to))
        if self.sales_check.isChecked():
            rules = replace(
                rules, sales_from=_pydate(self.sales_from), sales_to=_pydate(self.sales_to),
                visits_min=_whole(self.visits_min.text(), "visits_min", _("Enter the number of visits as a whole number.")),
                visits_max=_whole(self.visits_max.text(), "visits_max", _("Enter the number of visits as a whole number.")),
                revenue_min=_amount(self.revenue_min.text(), "revenue_min"),
                revenue_max=_amount(self.revenue_max.text(), "revenue_max"),
            )  # fmt: skip
        return rules

    def set_rules(self, rules: SegmentRules) -> None:
        """Show ``rules`` in the form."""
        self.blockSignals(True)
        self.category_mode.setCurrentIndex(max(0, self.category_mode.findData(rules.category_mode)))
        _check(self.category_list, rules.category_ids)
        self.include_expired.setChecked(rules.include_expired)
        self.group_mode.setCurrentIndex(max(0, self.group_mode.findData(rules.group_mode)))
        _check(self.group_list, rules.group_ids)
        self.recipient_combo.setCurrentIndex(max(0, self.recipient_combo.findData(rules.recipient_group_id)))
        self.visit_mode.setCurrentIndex(max(0, self.visit_mode.findData(rules.visit_mode)))
        self.visit_date.setDate(_qdate(rules.visit_before))
        self.visit_days.setText("" if rules.visit_days is None else str(rules.visit_days))
        self.sales_check.setChecked(rules.sales_from is not None)
        if rules.sales_from is not None:
            self.sales_from.setDate(_qdate(rules.sales_from))
            self.sales_to.setDate(_qdate(rules.sales_to))
        for edit, value in ((self.visits_min, rules.visits_min), (self.visits_max, rules.visits_max),
                            (self.revenue_min, rules.revenue_min), (self.revenue_max, rules.revenue_max)):  # fmt: skip
            edit.setText("" if value is None else str(value))
        self.birthday_month.setCurrentIndex(max(0, self.birthday_month.findData(rules.birthday_month)))
        self.birthday_days.setText("" if rules.birthday_days is None else str(rules.birthday_days))
        self.created_check.setChecked(rules.created_from is not None or rules.created_to is not None)
        self.created_from.setDate(_qdate(rules.created_from))
        self.created_to.setDate(_qdate(rules.created_to))
        self.city.setText(rules.city)
        self.postal_prefix.setText(rules.postal_prefix)
        for field, check in self.flags.items():
            check.setChecked(getattr(rules, field))
        self.blockSignals(False)
        self.sig_changed.emit()
