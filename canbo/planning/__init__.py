"""Succession planning: named successors per title, unit and term (capability 3)."""
