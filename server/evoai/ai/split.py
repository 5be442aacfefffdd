"""An answer cut into WhatsApp-sized messages, as a person types them: one per paragraph, long
paragraphs cut at a sentence end, and a pause before each further part that grows with its length."""

from __future__ import annotations

import re

MAX_CHARS = 1000
MAX_PARTS = 5
_PARAGRAPHS = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[.!?…](\s+)")


def _cut(paragraph: str) -> list[str]:
    pieces = []
    while len(paragraph) > MAX_CHARS:
        window = paragraph[:MAX_CHARS]
        ends = [m.end(0) for m in _SENTENCE_END.finditer(window)]
        at = ends[-1] if ends else (window.rfind(" ") + 1 or MAX_CHARS)
        pieces.append(paragraph[:at].strip())
        paragraph = paragraph[at:].strip()
    if paragraph:
        pieces.append(paragraph)
    return pieces


def split_reply(text: str) -> list[str]:
    parts = [piece for p in _PARAGRAPHS.split(text.strip()) if p.strip() for piece in _cut(p.strip())]
    if len(parts) > MAX_PARTS:
        parts = [*parts[: MAX_PARTS - 1], "\n\n".join(parts[MAX_PARTS - 1 :])]
    return parts


def typing_delays(parts: list[str], ms_per_char: int, max_ms: int) -> list[int]:
    """When each part leaves, in ms after the first: the first at once, each next after "typing" it."""
    delays, elapsed = [], 0
    for index, part in enumerate(parts):
        if index:
            elapsed += min(max_ms, len(part) * ms_per_char)
        delays.append(elapsed)
    return delays
