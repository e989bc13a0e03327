"""Annual grading and confidence votes (capability 6)."""
