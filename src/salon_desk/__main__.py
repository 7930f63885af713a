"""``python -m salon_desk``."""

import sys

from salon_desk.app import main

sys.exit(main())
