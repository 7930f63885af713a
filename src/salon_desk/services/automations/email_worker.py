"""Send the queued automation emails in a process of its own: ``python -m salon_desk.services.automations.email_worker URL``.

The desk's automations runner starts it when emails wait (``ui/automations/daily_runner.py``);
a process for the reason ``services/marketing/send_worker.py`` gives. Output: one JSON line,
``{"counts": {...}}`` (rows per state over the dispatches it sent) or ``{"error": "..."}``.
"""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="email_worker")
    parser.add_argument("url")
    parser.add_argument("--language", default="")
    args = parser.parse_args(argv)

    from salon_desk import i18n
    from salon_desk.db import Database
    from salon_desk.errors import SalonError
    from salon_desk.services.automations.email import send_waiting

    if args.language:
        i18n.set_language(args.language)
    db = Database(args.url)
    try:
        counts = send_waiting(db)
    except SalonError as error:
        print(json.dumps({"error": error.message}), flush=True)
        return 1
    finally:
        db.dispose()
    print(json.dumps({"counts": counts}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
