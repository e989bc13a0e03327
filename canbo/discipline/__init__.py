"""Discipline of party members and civil servants, and reviews under way (capability 7)."""
