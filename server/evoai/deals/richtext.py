"""Rich-text notes: HTML from the editor is sanitised to a small allow-list before it is stored, and a
plain-text copy is derived from it (search, previews, exports)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "a", "blockquote", "code", "pre"}
    | {"h1", "h2", "h3"}
)
# Dropped with everything inside them (other refused tags are unwrapped and keep their text).
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "svg", "math", "iframe", "object", "embed", "template", "noscript", "textarea"}
    | {"title", "select", "option", "head", "frame", "frameset", "noembed", "noframes", "xmp"}
)
LINK_REL = "noopener noreferrer nofollow"
_BLOCKS = frozenset({"p", "blockquote", "pre", "h1", "h2", "h3", "ul", "ol"})


def sanitise_html(raw: str) -> str:
    """Only ALLOWED_TAGS survive; the only attribute is a link's href, and only http, https or mailto
    (relative and protocol-relative links are dropped); every link gets rel=LINK_REL."""
    return nh3.clean(
        raw,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(clean_html: str) -> str:
    parser = _TextExtractor()
    parser.feed(clean_html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def text_to_html(text: str) -> str:
    """Plain text as paragraphs (blank lines) and line breaks, every character escaped."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(f"<p>{html.escape(p.strip()).replace(chr(10), '<br>')}</p>" for p in paragraphs)
