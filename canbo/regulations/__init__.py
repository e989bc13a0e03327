"""Regulations as code: dated legal parameters, eligibility, deadlines and compliance checks (capability 2)."""
