"""Excel exchange (capability 12): templates, imports with dry run and background jobs, exports."""
