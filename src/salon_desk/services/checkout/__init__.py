"""services/checkout."""
