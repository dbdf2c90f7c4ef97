"""Place names to coordinates: the gazetteer that the extractor's places resolve against."""

from newsgraph.geo.gazetteer import Gazetteer, Place, document_context, load_gazetteer, normalize_name

__all__ = ["Gazetteer", "Place", "document_context", "load_gazetteer", "normalize_name"]
