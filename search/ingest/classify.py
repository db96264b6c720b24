"""Every line of a dump gets a role: heading, body, lead, byline, caption, sign-off, date
or masthead (the first pass of segment.py).

What counts as a headline depends on the layout: where paragraphs are indented, a line
printed flush (unless it is the rest of a paragraph cut by a column break); elsewhere a
short line without sentence punctuation. A credit that closes a report (`（何宝国）`,
`（本报布鲁塞尔10月20日电）`) is split off its paragraph and remembered as what closed it.
"""
import re
from dataclasses import dataclass, field
from typing import Optional

from . import bylines, dates, leads, masthead
from .headlines import flush_heading, heading_like, lone_name
from .layout import Line
from .repair import open_unit

SIGNOFF = re.compile(r"^特此(?:通知|公告|通告|声明|公示|告知|函告|说明)[。！]?$")


@dataclass
class Unit:
    role: str                   # heading | body | lead | byline | caption | signoff | date | masthead
    text: str
    line: Line
    authors: list = field(default_factory=list)
    lead: str = ""              # the lead it opened with (本报讯, 新华社北京10月20日电…)
    closes: str = ""            # the credit it ended with: the article is finished
    captions: list = field(default_factory=list)   # captions printed inside this paragraph
    inline: bool = False        # a caption that belongs to the paragraph around it
    date: Optional[object] = None
    info: Optional[dict] = None  # a masthead's paper, date and page


def is_heading(text, line, units, profile, nxt=None):
    """Whether the line is a headline; `nxt` is the line after it."""
    if leads.box_label(text):
        return False
    prev = units[-1] if units else None
    if profile.indented:
        if line.indent:
            return False
        if prev is not None and prev.role == "body" and not line.gap and open_unit(prev):
            return False        # the rest of a paragraph cut by a column break
        return flush_heading(text)
    glued = profile.blank_lines and not line.gap and prev is not None and prev.role in ("body", "signoff")
    if glued:
        return False
    # A long title still reads as one when a lead opens the next line (a transcript's title).
    return heading_like(text) or (nxt is not None and flush_heading(text) and bool(leads.split_lead(nxt.text)))


def classify(lines, profile):
    units = []
    for k, line in enumerate(lines):
        text = line.text
        head = masthead.read(text) if len(text) <= 40 else None
        if head:
            units.append(Unit("masthead", text, line, info=head))
            continue
        photo = bylines.split_photo_credit(text)
        if photo:
            names, caption = photo
            if caption:
                units.append(Unit("caption", caption, line, names))
            elif units and not line.gap and (units[-1].role == "heading"
                                             or units[-1].role == "body" and profile.blank_lines):
                units[-1].role, units[-1].authors = "caption", names
            else:       # without blank lines, the paragraph above may be the article's own
                units.append(Unit("byline", text, line, names))
            continue
        if line.level:
            units.append(Unit("heading", text, line))
            continue
        lead = leads.split_lead(text)
        if lead:
            names, rest = lead
            opened = text[:len(text) - len(rest)].strip()
            if not rest:
                units.append(Unit("lead", "", line, names, lead=opened))
                continue
            credit, rest = closing_credit(rest)
            units.append(Unit("body", rest, line, names + credit[0], lead=opened, closes=credit[1]))
            continue
        credit = leads.split_closing_credit(text)
        if credit and not credit[1]:
            units.append(Unit("byline", text, line, credit[0]))
            continue
        names = bylines.byline(text) or ([text] if lone_name(text) else None)
        if names:
            units.append(Unit("byline", text, line, names))
            continue
        date = dates.date_line(text) if len(text) <= 40 else None
        if date:
            units.append(Unit("date", text, line, date=date))
            continue
        if SIGNOFF.match(text):
            units.append(Unit("signoff", text, line))
            continue
        if is_heading(text, line, units, profile, lines[k + 1] if k + 1 < len(lines) else None):
            units.append(Unit("heading", text, line))
            continue
        credit, rest = closing_credit(text)
        units.append(Unit("body", rest, line, credit[0], closes=credit[1]))
    return units


def closing_credit(text):
    """((authors, the credit in words or ""), text without it)."""
    found = leads.split_closing_credit(text)
    if found:
        return (found[0], "credit " + text[len(found[1]):].strip()), found[1]
    names, rest = bylines.split_trailing_credit(text)
    return (names, f"credit （{'、'.join(names)}）" if names else ""), rest
