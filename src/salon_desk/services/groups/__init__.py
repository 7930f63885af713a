"""Customer groups with group prices, recipient groups and the client-facing check-in."""
