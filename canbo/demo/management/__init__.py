"""Console commands of the demo app."""
