"""The groups and group prices pages, recipient groups and the check-in screen."""
