"""Take the README screenshots of campaigns from the real app on demo data, sending to a local SMTP server.

xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots_campaigns.py docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SALON_DESK_HOME", tempfile.mkdtemp(prefix="salon-desk-shots-"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test suite's local SMTP server

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

import smtp_server  # noqa: E402
from salon_desk.models.campaign import AudienceKind, RecipientState  # noqa: E402
from salon_desk.services.clients.segment_rules import CategoryMode, SegmentRules  # noqa: E402
from salon_desk.services.marketing.smtp_link import Security  # noqa: E402
from salon_desk.services.marketing.smtp_settings import SmtpSettings  # noqa: E402
from salon_desk.ui.main_window import MainWindow  # noqa: E402
from salon_desk.ui.marketing.campaign_editor_dialog import CampaignEditorDialog  # noqa: E402
from salon_desk.ui.marketing.campaign_runner import runner_for  # noqa: E402
from screenshots import demo_salon  # noqa: E402  (beside this script)

BODY = """Hallo {first_name},

im Juni schenken wir Ihnen 10 % auf alle Färbungen – als Dankeschön für Ihre Treue ({client_category}).

Wir freuen uns auf Ihren Besuch!
Ihr Team von {salon_name}"""


def save(widget: QWidget, path: Path, wait: int = 400) -> None:
    """Grab one window as it is on screen."""
    QTest.qWait(wait)
    widget.grab().save(str(path))
    print("wrote", path)


def main(target: Path) -> None:
    """The campaign editor with its counts and preview, and the campaigns page while the campaign is sent."""
    target.mkdir(parents=True, exist_ok=True)
    _app, services = demo_salon()
    regular = next(c.id for c in services.categories.list() if c.name == "Stammkunde")
    segment, _changes = services.segments.create("Stammkundschaft", SegmentRules(category_mode=CategoryMode.ANY,
                                                                                 category_ids=(regular,)))
    with smtp_server.running() as server:
        services.smtp.save(SmtpSettings("127.0.0.1", server.port, Security.NONE, sender_name="",
                                        sender_address="info@salon-haarmonie.de", rate_per_minute=240))
        window = MainWindow(services)
        window.resize(1366, 800)
        window.show()
        page = window.show_page("marketing")
        editor = CampaignEditorDialog(services, window.bus, parent=window)
        editor.name_edit.setText("Juni-Aktion Färbungen")
        editor.subject_edit.setText("{first_name}, 10 % auf Ihre nächste Färbung")
        editor.body_edit.setPlainText(BODY)
        editor.audience_combo.choose(AudienceKind.SEGMENT, segment.id)
        editor.resize(1200, 700)
        editor.show()
        editor.refresh()
        editor.preview_combo.setCurrentIndex(min(2, editor.preview_combo.count() - 1))
        save(editor, target / "campaign-editor.png")
        editor.save_and_accept()
        page.reload(editor.result_campaign.id)  # type: ignore[attr-defined,union-attr]
        page.start(editor.result_campaign.id)  # type: ignore[attr-defined,union-attr]
        runner = runner_for(services)
        campaign_id = editor.result_campaign.id  # type: ignore[union-attr]
        while services.campaigns.get(campaign_id).count(RecipientState.SENT) < 8 and runner.processes:
            QTest.qWait(50)
        save(window, target / "campaign-sending.png", 1200)
        runner.cancel(campaign_id)
        runner.wait()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
