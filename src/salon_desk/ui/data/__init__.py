"""Data safety and privacy windows: backups and restore, client import, the inactive-clients report."""
