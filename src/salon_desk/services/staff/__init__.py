"""services/staff."""
