"""Console commands of the structure app."""
