"""The main window: navigation between the pages, status bar, shortcuts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from salon_desk.i18n import _
from salon_desk.services import Services
from salon_desk.services.permissions import Permission, allows
from salon_desk.ui.common.role_gate import gate
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.icons import category_icon
from salon_desk.ui.common.forms import restore_geometry, save_geometry
from salon_desk.ui.staff.staff_controls import StaffControls


NAV_ICON_COLOR = "#455A64"
NAV_ICONS = {
    "clients": "users",
    "categories": "tag",
    "checkout": "percent",
    "groups": "home",
    "catalogue": "briefcase",
    "offers": "gift",
    "recipients": "megaphone",
    "tasks": "phone",
    "marketing": "flag",
    "statistics": "calendar",
    "automations": "sparkle",
    "staff": "scissors",
    "audit": "star",
    "data": "leaf",
    "till": "sun",
}
# Pages shown only to roles with the permission.
PAGE_PERMISSIONS = {
    "categories": Permission.EDIT_CATEGORIES,
    "groups": Permission.EDIT_GROUPS,
    "catalogue": Permission.EDIT_PRICES,
    "offers": Permission.EDIT_OFFERS,
    "recipients": Permission.EDIT_CLIENTS,
    "tasks": Permission.EDIT_CLIENTS,
    "data": Permission.EDIT_CLIENTS,
    "staff": Permission.EDIT_STAFF,
    "audit": Permission.VIEW_AUDIT,
    "statistics": Permission.VIEW_STATISTICS,
    "marketing": Permission.RUN_CAMPAIGNS,
    "automations": Permission.EDIT_AUTOMATIONS,
}
NAV_STYLE = """
QListWidget#navigationList { border: none; background: palette(window); font-size: 11pt; padding-top: 6px; }
QListWidget#navigationList::item { padding: 6px 8px; border-radius: 4px; }
QListWidget#navigationList::item:selected { background: palette(highlight); color: palette(highlighted-text); }
"""


class PlannedPage(QLabel):
    """A page whose room in the navigation is kept for a later feature."""

    def __init__(self, title: str) -> None:
        super().__init__(_("{title} will be available in a later version.").format(title=title))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)


class MainWindow(QMainWindow):
    """Navigation on the left, the current page on the right."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.services = services
        self.bus = DataBus(self)
        self.setWindowTitle(_("Salon Desk"))
        self.nav = QListWidget()
        self.nav.setObjectName("navigationList")
        self.nav.setFixedWidth(200)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        self.nav.setStyleSheet(NAV_STYLE)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_pages()
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self._build_menu()
        self.statusBar().showMessage(_("Ready"), 3000)
        self.bus.sig_data_changed.connect(self.on_data_changed)
        self.bus.sig_open_client.connect(self.open_client)
        self.bus.sig_open_checkout.connect(self.open_checkout)
        self.resize(1200, 760)
        restore_geometry(self)

    def _build_pages(self) -> None:
        from salon_desk.ui.staff.audit_page import AuditPage
        from salon_desk.ui.automations.automations_page import AutomationsPage
        from salon_desk.ui.catalogue.catalogue_page import CataloguePage
        from salon_desk.ui.categories.categories_page import CategoriesPage
        from salon_desk.ui.checkout.checkout_window import CheckoutWindow
        from salon_desk.ui.clients.client_list_page import ClientListPage
        from salon_desk.ui.data.data_page import DataPage
        from salon_desk.ui.fiscal.till_page import TillPage
        from salon_desk.ui.groups.groups_page import GroupsPage
        from salon_desk.ui.catalogue.offers_page import OffersPage
        from salon_desk.ui.groups.recipients_page import RecipientsPage
        from salon_desk.ui.marketing.campaigns_page import CampaignsPage
        from salon_desk.ui.marketing.tasks_page import TasksPage
        from salon_desk.ui.staff.staff_page import StaffPage
        from salon_desk.ui.statistics.statistics_page import StatisticsPage

        factories: list[tuple[str, str, Callable[[], QWidget] | None]] = [
            ("clients", _("Clients"), lambda: ClientListPage(self.services, self.bus, self)),
            ("categories", _("Categories"), lambda: CategoriesPage(self.services, self.bus, self)),
            ("checkout", _("Checkout"), lambda: CheckoutWindow(self.services, self.bus, self)),
            ("till", _("Till"), lambda: TillPage(self.services, self.bus, self)),
            ("groups", _("Groups"), lambda: GroupsPage(self.services, self.bus, self)),
            ("catalogue", _("Catalogue"), lambda: CataloguePage(self.services, self.bus, self)),
            ("offers", _("Special offers"), lambda: OffersPage(self.services, self.bus, self)),
            ("recipients", _("Recipient groups"), lambda: RecipientsPage(self.services, self.bus, self)),
            ("tasks", _("Tasks"), lambda: TasksPage(self.services, self.bus, self)),
            ("marketing", _("Marketing"), lambda: CampaignsPage(self.services, self.bus, self)),
            ("statistics", _("Statistics"), lambda: StatisticsPage(self.services, self.bus, self)),
            ("automations", _("Automations"), lambda: AutomationsPage(self.services, self.bus, self)),
            ("staff", _("Staff members"), lambda: StaffPage(self.services, self.bus, self)),
            ("audit", _("Audit log"), lambda: AuditPage(self.services, self.bus, self)),
            ("data", _("Your data"), lambda: DataPage(self.services, self.bus, self)),
        ]
        for key, title, factory in factories:
            page = factory() if factory is not None else PlannedPage(title)
            self.pages[key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(category_icon(NAV_ICONS.get(key, "tag"), NAV_ICON_COLOR), title)
            if factory is None:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(_("Coming in a later version"))
            self.nav.addItem(item)
        self._hook_tasks()
        from salon_desk.ui.automations.daily_runner import DailyRunner

        self.daily_runner = DailyRunner(self.services, self.bus, self)

    def _hook_tasks(self) -> None:
        """The tasks page opens client cards here; its navigation entry counts the tasks due."""
        from salon_desk.ui.marketing.task_badge import TaskBadge

        self.pages["tasks"].sig_open_client.connect(self.open_client)  # type: ignore[attr-defined]
        self.task_badge = TaskBadge(self.nav.item(list(self.pages).index("tasks")), self.services, self.bus, self)

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(_("&File"))
        self.new_client_action = self._action(_("&New client"), QKeySequence.StandardKey.New, self.new_client)
        self.find_action = self._action(_("&Find client"), QKeySequence.StandardKey.Find, self.focus_search)
        self.settings_action = self._action(_("&Settings…"), QKeySequence.StandardKey.Preferences, self.open_settings)
        quit_action = self._action(_("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        for action in (self.new_client_action, self.find_action, self.settings_action, quit_action):
            menu.addAction(action)
        self.check_in_action = QAction(_("Open &check-in screen"), self)
        self.check_in_action.setObjectName("openCheckInAction")
        self.check_in_action.triggered.connect(self.open_check_in)
        menu.insertAction(quit_action, self.check_in_action)
        from salon_desk.ui.data.backup_actions import install_data_actions

        install_data_actions(self, self.services, menu, quit_action)
        self.staff_controls = StaffControls(self, self.services, self.bus, menu, quit_action)
        self.staff_controls.sig_actor_changed.connect(self.on_actor_changed)
        self.new_client_action.setObjectName("newClientAction")
        gate(self.new_client_action, Permission.EDIT_CLIENTS, self.services, self.bus)
        self.signed_in = self.services.workstation.actor
        self.apply_role()

    def _action(self, text: str, shortcut: QKeySequence.StandardKey, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def on_actor_changed(self) -> None:
        """Someone signed in: forget what the previous person searched and was told, show what the role may use."""
        actor = self.services.workstation.actor
        if actor != self.signed_in:
            self.pages["clients"].search_edit.clear()  # type: ignore[attr-defined]
            self.statusBar().clearMessage()
        self.signed_in = actor
        self.apply_role()
        self.bus.sig_actor_changed.emit()

    def apply_role(self) -> None:
        """Show only the pages the signed-in person's role may use (the services refuse the actions anyway)."""
        role = self.services.workstation.actor.role
        keys = list(self.pages)
        for key, permission in PAGE_PERMISSIONS.items():
            if key in keys:
                self.nav.item(keys.index(key)).setHidden(not allows(role, permission))
        current = self.nav.currentItem()
        if current is not None and current.isHidden():
            self.show_page(keys[0])

    def show_page(self, key: str) -> QWidget:
        """Switch to the page ``key`` and return it."""
        self.nav.setCurrentRow(list(self.pages).index(key))
        return self.pages[key]

    def new_client(self) -> None:
        """Open an empty client card (Ctrl+N)."""
        page = self.show_page("clients")
        page.new_client()  # type: ignore[attr-defined]

    def open_client(self, client_id: int | None) -> QWidget | None:
        """Show the card of ``client_id`` (None: a new client's card) over the client list."""
        page = self.pages["clients"]
        return page.open_client(client_id)  # type: ignore[attr-defined]

    def open_checkout(self, client_id: int | None) -> QWidget:
        """Serve ``client_id`` at the checkout page when it is free, else in a checkout window of its own."""
        from salon_desk.ui.checkout.checkout_window import CheckoutWindow

        page = self.pages["checkout"]
        if isinstance(page, CheckoutWindow) and page.is_idle():
            self.show_page("checkout")
            page.set_client(client_id)
            self.raise_()
            self.activateWindow()
            return page
        window = CheckoutWindow(self.services, self.bus, self, client_id=client_id, as_window=True)
        window.show()
        return window

    def focus_search(self) -> None:
        """Jump to the client search field (Ctrl+F)."""
        page = self.show_page("clients")
        page.focus_search()  # type: ignore[attr-defined]

    def open_settings(self) -> None:
        """The settings dialog (language, database, the salon on receipts)."""
        from salon_desk.ui.settings_dialog import SettingsDialog

        SettingsDialog(self, self.services).exec()

    def open_check_in(self) -> QWidget:
        """The client-facing check-in screen, full screen on a second monitor when there is one."""
        from salon_desk.ui.groups.check_in_window import CheckInWindow

        window = getattr(self, "check_in_window", None)
        if window is None:
            window = self.check_in_window = CheckInWindow(self.services, self.bus, self)
        screens = QGuiApplication.screens()
        others = [s for s in screens if s is not self.screen()]
        if others:
            window.setScreen(others[0])
            window.move(others[0].geometry().topLeft())
        window.showFullScreen()
        window.raise_()
        window.activateWindow()
        return window

    def on_data_changed(self, changes: object) -> None:
        """Confirm a saved change in the status bar."""
        self.statusBar().showMessage(_("Saved."), 3000)

    def open_campaign_for(self, client_ids: list[int]) -> None:
        """Write a campaign to the client list's selection on the campaigns page."""
        page = self.show_page("marketing")
        page.new_campaign(tuple(client_ids))  # type: ignore[attr-defined]

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        save_geometry(self)
        super().closeEvent(event)
