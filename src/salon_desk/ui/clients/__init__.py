"""The client list page and the client card with its category panel."""
