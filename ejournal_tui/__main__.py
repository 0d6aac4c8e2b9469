"""`python -m ejournal_tui` runs the command line."""

from ejournal_tui.cli.main import run

run()
