"""Staff page, sign-in, lock, approvals and the audit log page."""
