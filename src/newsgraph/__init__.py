"""newsgraph: a sourced knowledge base of political violence and interstate relations from news text."""

__version__ = "0.1.0"

# `newsgraph.open(path)`: the Python API. Not in a `__all__`, so `from newsgraph import *`
# cannot shadow the builtin open; the module itself stays cheap to import.
from newsgraph.api import open as open
