"""ui/categories."""
