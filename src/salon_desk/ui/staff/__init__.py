"""ui/staff."""
