"""Automations: rules of event → filter → actions, run where the events happen (DESIGN §7)."""
