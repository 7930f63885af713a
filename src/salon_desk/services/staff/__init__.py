"""Staff members, PINs, approvals and the audit log."""
