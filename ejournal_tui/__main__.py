"""`python -m ejournal_tui` runs the command line."""

from ejournal_tui.cli.entry import run

run()
