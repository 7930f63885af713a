"""ui/checkout."""
