"""ui/groups."""
