"""The automations pages: rules, the rule editor and the run log (managers)."""
