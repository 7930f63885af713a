"""services/clients."""
