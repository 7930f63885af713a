"""The till's legal day (DESIGN §10): cash drawer, daily closing, Z-report, DSFinV-K export, the cloud TSE."""
