"""ejournal: an electronic class register for Russian schools."""

__version__ = "0.1.0"
