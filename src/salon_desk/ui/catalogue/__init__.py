"""The catalogue and special offers pages with their editors."""
