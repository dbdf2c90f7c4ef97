"""Publication dates declared by a container (feed column, HTML meta) to ISO dates."""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def normalize_published(value: str) -> str | None:
    """ISO ``YYYY-MM-DD`` for a full date, else None: a publication date is never guessed."""
    match = _ISO.match(value)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    import dateparser

    parsed = dateparser.parse(
        value,
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"},
    )
    return parsed.date().isoformat() if parsed else None
