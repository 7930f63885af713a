"""The real widgets in German: our own labels from the catalogue, Qt's standard buttons from qtbase_de."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from salon_desk import i18n
from salon_desk.services import Services
from salon_desk.ui.application import install_qt_translations
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.categories.categories_page import CategoriesPage
from salon_desk.ui.categories.category_editor import CategoryEditorDialog
from salon_desk.ui.categories.category_table_model import DISCOUNT


def child(widget: QWidget, name: str) -> QWidget:
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


@pytest.fixture
def german(qapp: QApplication) -> Iterator[QApplication]:
    """German messages and Qt's German standard strings; English and no Qt translators afterwards."""
    before = set(qapp.findChildren(QTranslator))
    default_locale = QLocale()
    i18n.set_language("de")
    install_qt_translations(qapp)
    yield qapp
    for translator in set(qapp.findChildren(QTranslator)) - before:
        qapp.removeTranslator(translator)
        translator.setParent(None)
        translator.deleteLater()
    QLocale.setDefault(default_locale)
    i18n.set_language("en")


def test_qt_standard_strings_are_german(german: QApplication) -> None:
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "&Ja"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    assert QLocale().language() == QLocale.Language.German


def test_message_box_buttons_are_german(qtbot: QtBot, german: QApplication) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Salon Desk", "?")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    assert "Ja" in box.button(QMessageBox.StandardButton.Yes).text()
    assert "Nein" in box.button(QMessageBox.StandardButton.No).text()


def test_category_editor_speaks_german(qtbot: QtBot, app_services: Services, german: QApplication) -> None:
    dialog = CategoryEditorDialog(app_services, DataBus(), None)
    qtbot.addWidget(dialog)
    dialog.show()

    assert dialog.windowTitle() == "Neue Kategorie"
    assert [box.title() for box in dialog.findChildren(QGroupBox)] == ["Kategorie", "Rabatt"]
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Name:", "&Beschreibung:", "&Farbe:", "S&ymbol:", "&Prozentsatz:", "&Gilt für:"} <= labels
    assert child(dialog, "discountCheck").text() == "Mitglieder erhalten einen &Rabatt"
    assert child(dialog, "specialOffersCheck").text() == "Auch bei &Sonderangeboten"
    assert child(dialog, "categoryDefaultCheck").text() == "Standardkategorie für neue Kunden (&automatisch)"
    assert child(dialog, "discountCalculatorButton").text() == "Re&chner…"
    assert child(dialog, "categoryNameEdit").placeholderText() == "z. B. Student/in"  # type: ignore[attr-defined]
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "OK"
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Abbrechen"


def test_category_editor_gives_german_labels_their_full_width(
    qtbot: QtBot, app_services: Services, german: QApplication
) -> None:
    """German runs about a third longer than English: even at the dialog's smallest width no check box or button
    is squeezed below its text (a size saved by an earlier session may be that small)."""
    dialog = CategoryEditorDialog(app_services, DataBus(), None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.resize(dialog.minimumWidth(), dialog.height())
    qtbot.waitUntil(lambda: dialog.width() == dialog.minimumWidth())
    squeezed = [
        (widget.objectName() or widget.text(), widget.width(), widget.sizeHint().width())
        for widget in dialog.findChildren(QAbstractButton)
        if widget.isVisible() and isinstance(widget, (QCheckBox, QPushButton))
        if widget.width() < widget.sizeHint().width()
    ]
    assert not squeezed


def test_categories_page_headers_and_buttons_are_german(
    qtbot: QtBot, app_services: Services, german: QApplication
) -> None:
    page = CategoriesPage(app_services, DataBus())
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    model = child(page, "categoriesTable").model()  # type: ignore[attr-defined]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[DISCOUNT] == "Rabatt"
    assert {"Name", "Farbe", "Symbol", "Standard", "Kunden"} <= set(headers)
    assert child(page, "newCategoryPageButton").text() == "&Neue Kategorie…"  # type: ignore[attr-defined]
    assert child(page, "editCategoryButton").text() == "&Bearbeiten…"  # type: ignore[attr-defined]
    assert child(page, "deleteCategoryButton").text() == "&Löschen…"  # type: ignore[attr-defined]
    assert any(label.text() == "Kundenkategorien" for label in page.findChildren(QLabel))


def test_translators_are_gone_after_a_german_test(qapp: QApplication) -> None:
    """Runs after the German tests in this module: the rest of the suite sees English Qt strings again."""
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "&Yes"
    assert i18n._("Discount") == "Discount"
