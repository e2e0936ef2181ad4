"""A safe Markdown subset for news, as HTML and as plain text.

Writers may use: headings (`## ` and `### `; a single `# ` counts as `## `,
since the page already has its title), paragraphs (separated by a blank
line), `**bold**`, `*italic*` or `_italic_`, links `[text](address)` to
http, https and mailto addresses only, and bullet (`- ` or `* `) and
numbered (`1. `) lists. Nothing else is markup: raw HTML is shown as the
text it is, images (`![alt](src)`) become their alt text, and a link to any
other kind of address (`javascript:`, `data:`) shows as its text, unlinked.

The HTML carries inline styles for email clients (`EMAIL_STYLES`); pages
strip them (`NewsItem.site_html`), since the site's stylesheet applies there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SAFE_SCHEMES = {"http", "https", "mailto"}

#: Inline styles for the HTML part of an email, NHS-styled.
EMAIL_STYLES = {
    "h2": "margin:24px 0 8px;font-size:22px;line-height:1.3;color:#212b32;",
    "h3": "margin:20px 0 8px;font-size:19px;line-height:1.3;color:#212b32;",
    "p": "margin:0 0 16px;font-size:16px;line-height:1.5;color:#212b32;",
    "ul": "margin:0 0 16px;padding-left:20px;font-size:16px;line-height:1.5;color:#212b32;",
    "ol": "margin:0 0 16px;padding-left:20px;font-size:16px;line-height:1.5;color:#212b32;",
    "li": "margin-bottom:4px;",
    "a": "color:#005eb8;text-decoration:underline;",
}

HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*#*\s*$")
BULLET = re.compile(r"^\s{0,3}[-*+]\s+(.*)$")
NUMBERED = re.compile(r"^\s{0,3}\d{1,9}[.)]\s+(.*)$")
# [text](address) and ![alt](address); the address has no spaces or brackets.
LINK = re.compile(r"(!?)\[([^\[\]\n]*)\]\(\s*<?([^()\s<>]*)>?\s*\)")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
ITALIC_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")


@dataclass(frozen=True)
class Block:
    kind: str  # "h2", "h3", "p", "ul", "ol"
    lines: tuple[str, ...]


def safe_url(url: str) -> str | None:
    """The address if it is http(s) or mailto, else None."""
    url = url.strip()
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in SAFE_SCHEMES:
        return None
    if scheme in {"http", "https"} and not urlsplit(url).netloc:
        return None
    return url


def parse(source: str) -> list[Block]:
    """The blocks of a text: headings, paragraphs and lists."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_kind = ""

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(Block("p", tuple(paragraph)))
            paragraph.clear()

    def end_list() -> None:
        nonlocal list_kind
        if items:
            blocks.append(Block(list_kind, tuple(items)))
            items.clear()
        list_kind = ""

    for raw in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            end_paragraph()
            end_list()
            continue
        heading = HEADING.match(line)
        bullet = BULLET.match(line)
        numbered = NUMBERED.match(line)
        if heading:
            end_paragraph()
            end_list()
            level = "h3" if len(heading.group(1)) == 3 else "h2"
            blocks.append(Block(level, (heading.group(2),)))
        elif bullet or numbered:
            end_paragraph()
            kind = "ul" if bullet else "ol"
            if list_kind and list_kind != kind:
                end_list()
            list_kind = kind
            items.append((bullet or numbered).group(1).strip())  # type: ignore[union-attr]
        elif items and raw[:1].isspace():
            items[-1] += " " + line.strip()  # a list item carried onto another line
        else:
            end_list()
            paragraph.append(line.strip())
    end_paragraph()
    end_list()
    return blocks


def _emphasis_html(escaped: str) -> str:
    escaped = BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = ITALIC_STAR.sub(r"<em>\1</em>", escaped)
    return ITALIC_UNDERSCORE.sub(r"<em>\1</em>", escaped)


def _style(tag: str, email: bool) -> str:
    return f' style="{EMAIL_STYLES[tag]}"' if email and tag in EMAIL_STYLES else ""


def inline_html(text: str, *, email: bool = False) -> str:
    """One line of text as HTML: escaped, with emphasis and safe links."""
    out: list[str] = []
    position = 0
    for match in LINK.finditer(text):
        out.append(_emphasis_html(escape(text[position : match.start()])))
        image, label, url = match.groups()
        label_html = _emphasis_html(escape(label))
        address = None if image else safe_url(url)
        if address is None:
            out.append(label_html)  # images and unsafe links show their text
        else:
            out.append(
                f'<a href="{escape(address)}" rel="noopener"{_style("a", email)}>'
                f"{label_html or escape(address)}</a>"
            )
        position = match.end()
    out.append(_emphasis_html(escape(text[position:])))
    return "".join(out)


def to_html(source: str, *, email: bool = False) -> SafeString:
    """The text as HTML; `email=True` adds inline styles for email clients."""
    parts = []
    for block in parse(source):
        style = _style(block.kind, email)
        if block.kind in {"ul", "ol"}:
            items = "".join(
                f"<li{_style('li', email)}>{inline_html(line, email=email)}</li>"
                for line in block.lines
            )
            parts.append(f"<{block.kind}{style}>{items}</{block.kind}>")
        else:
            content = "\n".join(inline_html(line, email=email) for line in block.lines)
            parts.append(f"<{block.kind}{style}>{content}</{block.kind}>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every piece is escaped or generated


def _emphasis_text(text: str) -> str:
    text = BOLD.sub(r"\1", text)
    text = ITALIC_STAR.sub(r"\1", text)
    return ITALIC_UNDERSCORE.sub(r"\1", text)


def inline_text(text: str) -> str:
    """One line as plain text: markers dropped, links as "text (address)"."""
    out: list[str] = []
    position = 0
    for match in LINK.finditer(text):
        out.append(_emphasis_text(text[position : match.start()]))
        image, label, url = match.groups()
        label = _emphasis_text(label)
        address = None if image else safe_url(url)
        if address is None:
            out.append(label)
        elif not label or label == address:
            out.append(address)
        else:
            out.append(f"{label} ({address})")
        position = match.end()
    out.append(_emphasis_text(text[position:]))
    return "".join(out)


def to_text(source: str) -> str:
    """The text as plain text for the email's text part and the feeds."""
    parts = []
    for block in parse(source):
        if block.kind in {"h2", "h3"}:
            heading = inline_text(block.lines[0])
            underline = "=" if block.kind == "h2" else "-"
            parts.append(f"{heading}\n{underline * len(heading)}")
        elif block.kind == "ul":
            parts.append("\n".join(f"- {inline_text(line)}" for line in block.lines))
        elif block.kind == "ol":
            parts.append(
                "\n".join(
                    f"{number}. {inline_text(line)}"
                    for number, line in enumerate(block.lines, start=1)
                )
            )
        else:
            parts.append("\n".join(inline_text(line) for line in block.lines))
    return "\n\n".join(parts)
