"""ui/catalogue."""
