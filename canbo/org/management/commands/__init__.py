"""`canbo titles …` and the other console commands of the structure app."""
