"""The catalogue: services, products and special offers."""
