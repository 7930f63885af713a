"""The checkout page and window, the sales list, receipts and the price explanation."""
