"""services/categories."""
