"""The demo school: a realistic, deterministic school generated for a seed and a date."""
