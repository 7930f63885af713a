"""The campaign editor's audience choice (``campaignAudienceCombo``) and its forecast text."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from salon_desk.i18n import _
from salon_desk.models.campaign import AudienceKind
from salon_desk.services import Services
from salon_desk.services.marketing.audience import skip_label
from salon_desk.services.marketing.campaigns import Forecast
from salon_desk.ui.marketing.segment_editor_dialog import clients_text


class AudienceCombo(QComboBox):
    """Segments, customer groups, recipient groups and (when given) the client list's selection."""

    def __init__(self, services: Services, selection: tuple[int, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignAudienceCombo")
        self.selection = selection
        if selection:
            self.addItem(_("Selected clients ({clients})").format(clients=clients_text(len(selection))),
                         (AudienceKind.SELECTION.value, None))
        for segment in services.segments.list():
            self.addItem(_("Segment: {name}").format(name=segment.name), (AudienceKind.SEGMENT.value, segment.id))
        for group in services.groups.list(counts=False):
            self.addItem(_("Customer group: {name}").format(name=group.name), (AudienceKind.GROUP.value, group.id))
        for recipients in services.recipients.list():
            self.addItem(_("Recipient group: {name}").format(name=recipients.name),
                         (AudienceKind.RECIPIENTS.value, recipients.id))
        if self.count() == 0:
            self.addItem(_("No segment or group yet — build one on the client list"), None)

    def chosen(self) -> tuple[AudienceKind, int | None] | None:
        """The kind and id chosen (None when there is nothing to choose)."""
        data = self.currentData()
        return (AudienceKind(data[0]), data[1]) if data else None

    def choose(self, kind: AudienceKind, audience_id: int | None) -> None:
        """Show a saved campaign's audience (kept even when it no longer exists in the lists)."""
        for index in range(self.count()):
            data = self.itemData(index)
            if data and data[0] == kind.value and (kind == AudienceKind.SELECTION or data[1] == audience_id):
                self.setCurrentIndex(index)
                return
        self.insertItem(0, _("(no longer there)"), (kind.value, audience_id))
        self.setCurrentIndex(0)


def forecast_text(forecast: Forecast) -> str:
    """ "Receives it: 480 clients. Skipped: 20 (no consent 12, no address 8)." """
    text = _("Receives it: {clients}.").format(clients=clients_text(forecast.receive))
    if forecast.skipped:
        reasons = ", ".join(f"{skip_label(reason)} {count}" for reason, count in
                            sorted(forecast.skipped.items(), key=lambda item: -item[1]))
        text += " " + _("Skipped: {count} ({reasons}).").format(count=sum(forecast.skipped.values()), reasons=reasons)
    return text
