"""The campaign editor (``campaignEditorDialog``): wording with placeholders, audience, who is skipped, preview."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salon_desk.errors import SalonError, ValidationError
from salon_desk.i18n import _
from salon_desk.models.campaign import AudienceKind, Channel
from salon_desk.services import Changes, Services
from salon_desk.services.marketing.campaigns import CampaignData, CampaignInfo
from salon_desk.services.marketing.placeholders import PLACEHOLDERS
from salon_desk.services.marketing.sms import configured_gateway
from salon_desk.ui.common.bus import DataBus
from salon_desk.ui.common.forms import EditorDialog, FieldErrors
from salon_desk.ui.common.page_parts import confirm
from salon_desk.ui.marketing.campaign_audience import AudienceCombo, forecast_text

REFRESH_MS = 300
COUNT_STYLE = "font-weight: 600;"


class CampaignEditorDialog(EditorDialog):
    """OK saves the draft; "Save and send…" saves, shows who receives it, and asks to send (``result_send``)."""

    def __init__(self, services: Services, bus: DataBus, campaign: CampaignInfo | None = None,
                 selection: tuple[int, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignEditorDialog")
        self.setWindowTitle(_("Campaign"))
        self.services, self.bus, self.campaign = services, bus, campaign
        self.errors = FieldErrors()
        self.result_campaign: CampaignInfo | None = None
        self.result_send = False
        given = campaign.data.client_ids if campaign is not None else selection
        self._build(given)
        if campaign is not None:
            self._show(campaign.data)
        self.refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        for signal in (self.subject_edit.textChanged, self.body_edit.textChanged, self.audience_combo.currentIndexChanged,
                       self.own_check.toggled, self.channel_combo.currentIndexChanged):
            signal.connect(self.refresh_timer.start)
        self.preview_combo.currentIndexChanged.connect(self.show_preview)
        self.refresh()
        self.resize(900, 640)
        self.restore()

    def _build(self, selection: tuple[int, ...]) -> None:
        self.name_edit = QLineEdit(objectName="campaignNameEdit")
        self.name_edit.setPlaceholderText(_("e.g. Summer offer 2026"))
        self.subject_edit = QLineEdit(objectName="campaignSubjectEdit")
        self.body_edit = QPlainTextEdit(objectName="campaignBodyEdit")
        self.body_edit.setPlaceholderText(_("Hello {first_name}, …"))
        self.audience_combo = AudienceCombo(self.services, selection)
        self.own_check = QCheckBox(_("Own similar services (also to existing customers, §7(3) UWG; "
                                     "the objection notice is added)"), objectName="campaignOwnServicesCheck")
        self.channel_combo = QComboBox(objectName="campaignChannelCombo")
        self.channel_combo.addItem(_("Email"), Channel.EMAIL.value)
        self.channel_combo.addItem(_("SMS (not configured)"), Channel.SMS.value)
        self.sms_ready = configured_gateway().configured
        if not self.sms_ready:
            self.channel_combo.model().item(1).setEnabled(False)  # type: ignore[attr-defined]
            self.channel_combo.setToolTip(_("No SMS provider is set up yet."))
        self.counts_label = QLabel(objectName="campaignCountsLabel")
        self.counts_label.setStyleSheet(COUNT_STYLE)
        self.counts_label.setWordWrap(True)
        form = QFormLayout()
        self.errors.add_row(form, _("&Name:"), "name", self.name_edit)
        form.addRow(_("C&hannel:"), self.channel_combo)
        self.errors.add_row(form, _("&Audience:"), "audience", self.audience_combo)
        form.addRow("", self.own_check)
        form.addRow("", self.counts_label)
        self.errors.add_row(form, _("&Subject:"), "subject", self.subject_edit)
        self.errors.add_row(form, _("&Message:"), "body", self.body_edit)
        hint = QLabel(_("Placeholders: {names}").format(names=", ".join("{" + p + "}" for p in PLACEHOLDERS)))
        hint.setWordWrap(True)
        form.addRow("", hint)
        left = QWidget()
        left.setLayout(form)
        columns = QHBoxLayout()
        columns.addWidget(left, 3)
        columns.addLayout(self._preview_column(), 2)
        buttons = self.ok_cancel_buttons("saveCampaignButton", "cancelCampaignButton")
        self.send_button = QPushButton(_("Save and &send…"), objectName="sendCampaignButton")
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.send_button.clicked.connect(self.save_and_send)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(buttons)

    def _preview_column(self) -> QVBoxLayout:
        self.preview_combo = QComboBox(objectName="campaignPreviewClientCombo")
        self.preview = QPlainTextEdit(objectName="campaignPreview")
        self.preview.setReadOnly(True)
        column = QVBoxLayout()
        column.addWidget(QLabel(_("Preview for:")))
        column.addWidget(self.preview_combo)
        column.addWidget(self.preview, 1)
        return column

    def _show(self, data: CampaignData) -> None:
        self.name_edit.setText(data.name)
        self.subject_edit.setText(data.subject)
        self.body_edit.setPlainText(data.body)
        self.audience_combo.choose(data.audience_kind, data.audience_id)
        self.own_check.setChecked(data.own_similar_services)
        self.channel_combo.setCurrentIndex(max(0, self.channel_combo.findData(data.channel.value)))

    def data(self) -> CampaignData:
        """The form as the service takes it."""
        chosen = self.audience_combo.chosen()
        kind, audience_id = chosen if chosen else (AudienceKind.SEGMENT, None)
        return CampaignData(
            name=self.name_edit.text(), subject=self.subject_edit.text(), body=self.body_edit.toPlainText(),
            channel=Channel(self.channel_combo.currentData()), audience_kind=kind, audience_id=audience_id,
            client_ids=self.audience_combo.selection if kind == AudienceKind.SELECTION else (),
            own_similar_services=self.own_check.isChecked(),
        )

    # -- live checks ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Count who receives it and who is skipped; refill the preview's choice of clients."""
        self.refresh_timer.stop()
        data = self.data()
        try:
            self.counts_label.setText(forecast_text(self.services.campaigns.forecast(data)))
            clients = self.services.campaigns.preview_clients(data)
        except ValidationError as error:
            self.counts_label.setText(error.message)
            clients = []
        chosen = self.preview_combo.currentData()
        self.preview_combo.blockSignals(True)
        self.preview_combo.clear()
        for client_id, name in clients:
            self.preview_combo.addItem(name, client_id)
        self.preview_combo.setCurrentIndex(max(0, self.preview_combo.findData(chosen)))
        self.preview_combo.blockSignals(False)
        self.show_preview()

    def show_preview(self) -> None:
        """The message as the chosen client gets it; a wrong placeholder is named instead."""
        client_id = self.preview_combo.currentData()
        if client_id is None:
            self.preview.setPlainText(_("Nobody in this audience receives the campaign."))
            return
        data = self.data()
        try:
            letter = self.services.campaigns.preview(data, client_id)
        except ValidationError as error:
            self.preview.setPlainText(error.message)
            return
        self.preview.setPlainText(_("Subject: {subject}").format(subject=letter.subject) + "\n\n" + letter.body)

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> Changes:
        """Create or change the campaign."""
        data = self.data()
        if self.campaign is None:
            info, changes = self.services.campaigns.create(data)
        else:
            info, changes = self.services.campaigns.update(self.campaign.id, self.campaign.version, data)
        self.campaign = self.result_campaign = info
        return changes

    def save_and_send(self) -> None:
        """Save, then ask to send with the numbers in the question."""
        self.errors.clear()
        try:
            self.bus.publish(self.save())
            forecast = self.services.campaigns.forecast(self.data())
        except SalonError as error:
            self.errors.show(error, self)
            return
        question = _("Send “{name}” now?").format(name=self.name_edit.text().strip()) + "\n\n" + forecast_text(forecast)
        if confirm(self, _("Send campaign"), question):
            self.result_send = True
            self.accept()
