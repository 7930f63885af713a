"""Client categories, their templates and the category labels on the client list."""
