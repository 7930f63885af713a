"""services/catalogue."""
