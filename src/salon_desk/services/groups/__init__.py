"""services/groups."""
