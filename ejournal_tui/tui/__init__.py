"""The staff TUI (Textual). Only this package and `cli/` import Textual."""
