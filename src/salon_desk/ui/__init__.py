"""PySide6 widgets, dialogs and item models; they talk to the services only."""
