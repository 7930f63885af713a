"""The till's legal day in the window: cash drawer, daily closing, Z-report, DSFinV-K export."""
