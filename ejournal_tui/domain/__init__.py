"""Pure rules of the class register: no database, no UI, no I/O."""
