"""`canbo demo`."""
