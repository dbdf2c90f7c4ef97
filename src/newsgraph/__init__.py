"""newsgraph: a sourced knowledge base of political violence and interstate relations from news text."""

__version__ = "0.1.0"
