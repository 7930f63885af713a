"""Clients: the client card, the client list with its search plans, and search."""
