"""The statistics page, its table, chart and PDF."""
