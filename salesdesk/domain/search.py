"""The text the deal list's filter-as-you-type looks in."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Zoë ΠΑΡΑΓΩΓΗΣ" and "zoe παραγωγής" fold alike."""
    if text.isascii():
        return text.lower()  # the same result for plain ASCII, without decomposing it
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_key(*parts: str | None) -> str:
    """Ref, title and customer as one folded string (Unicode-aware, unlike SQL lower())."""
    return " ".join(fold(p) for p in parts if p)


def like_pattern(text: str) -> str:
    """A LIKE pattern that finds ``text`` anywhere, with ``%``, ``_`` and ``\\`` taken literally."""
    needle = fold(text.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{needle}%"
