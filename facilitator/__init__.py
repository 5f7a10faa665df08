"""facilitator: a terminal app for facilitators of self-organised learning sessions."""

__version__ = "0.1.0"
