"""The command line (Typer): a thin layer that turns arguments into service calls."""
