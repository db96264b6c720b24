"""Does a headline run start a new item, or is it a subhead of the current one? And why.

The evidence holds for any paper and is weighed per dump:

* decisive for a new item: the first item; a lead after the run (any agency, data/leads.txt);
  a byline under it; `（上接…）`; the current item finished (a closing credit, a byline, a
  signature); a notice's title; a Markdown heading as high as the current title's;
* decisive for a subhead: a numbered subhead (`一、`, `（一）`, `1.`);
* otherwise any of these starts an item, since each says the layout, the shape of a
  headline or what the dump does:
  - a flush line where paragraphs are indented;
  - more blank lines above the run than between paragraphs, and no fewer than below it;
  - a dump that shows no lead, byline or credit, nor spacing or indents that mark
    headlines (a stream of transcripts or exports), if the run is printed like the dump's
    first headline;
  - a dump where two thirds of the headlines are followed by a lead (a run of reports:
    one without a lead lost it);
  - a report opening with a dateline (`9月5日，`) in a dump whose reports open with one;
  - a layout pinned as `stream`;
  - a column tag (`（钟声）`);
  - a kicker or deck printed with the title (lines set together where paragraphs are set
    apart, or a deck `——访…`, `…出席并讲话`).

Without any of these, the run is a subhead of the current item.
"""
import re
from dataclasses import dataclass, field
from typing import List, Optional

from .headlines import column_tag, deck_like, numbered
from .layout import Profile
from ..text import fold_width

DATELINE = re.compile(r"(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日[，,]")
NOTICE_TITLE = re.compile(r"(?:通知|公告|通告|启事|声明|公示|告示|讣告|告知书|倡议书)$")


@dataclass
class Decision:
    """What became of a headline run (or how an item without one started): for --explain."""
    line: int                   # line number of its first line in the dump
    text: str                   # its lines, joined by " / "
    started: bool               # it started an item
    reasons: List[str] = field(default_factory=list)
    item: Optional[int] = None  # the item (1-based) it started or went to


@dataclass(frozen=True)
class Facts:
    """What the whole dump does, against which each run is weighed."""
    profile: Profile
    formulas: bool              # some report opens with a lead, or carries a byline or credit
    spacing: bool               # some headline runs stand out by the blank lines around them
    opening: tuple              # (lines, blank lines below) of the headline the dump opens with
    led: tuple = (0, 0)         # (headline runs followed by a lead, headline runs)
    dated: bool = False         # the dump's reports open with a dateline after their lead


def wide_gap(group, unit, profile):
    """(blank lines above, below) when the run has more blank lines above it than there are
    between paragraphs and at least as many as below it; else None."""
    above, below = group[0].line.blanks, unit.line.blanks
    return (above, below) if above > profile.paragraph_gap and above >= below else None


def runs(units):
    """(heading run, the unit after it) for every run of headings followed by text."""
    group = []
    for unit in units:
        if unit.role == "heading":
            group.append(unit)
        else:
            if group:
                yield group, unit
            group = []


def shows_formulas(units):
    """Some report of the dump opens with a lead, or carries a byline or a closing credit."""
    return any(u.lead or u.closes or u.role in ("lead", "byline") for u in units)


def facts(units, profile):
    formulas = shows_formulas(units)
    found = list(runs(units))
    spacing = any(wide_gap(group, unit, profile) for group, unit in found)
    first = next((u for u in units if u.role not in ("masthead", "date")), None)
    opening = (len(found[0][0]), found[0][1].line.blanks) if found and first is found[0][0][0] else (0, 0)
    led = (sum(1 for _, unit in found if unit.lead or unit.role == "lead"), len(found))
    reports = [u.text if u.text else (units[k + 1].text if k + 1 < len(units) else "")
               for k, u in enumerate(units) if u.lead]            # the text after each lead
    dated = len(reports) >= 2 and 2 * sum(1 for t in reports if DATELINE.match(fold_width(t))) >= len(reports)
    return Facts(profile, formulas, spacing, opening, led, dated)


def printed_like_the_first(group, unit, facts):
    """As many lines as the headline the dump opens with, and as much space below it: a
    title of a stream is printed like the first one; a feature's subheads are smaller."""
    lines, below = facts.opening
    return len(group) >= lines and unit.line.blanks >= below


def mostly_led(facts):
    """Two thirds of the dump's headlines (and at least three) are followed by a lead: it is
    a run of reports, and a headline without a lead is one whose lead was left out."""
    led, total = facts.led
    return led >= 3 and 3 * led >= 2 * total


def _quote(text, limit=24):
    return text if len(text) <= limit else text[:limit] + "…"


def headline_shape(group, profile):
    """Why the run reads as a headline of several lines, or None."""
    if len(group) < 2 or any(u.line.level for u in group):
        return None
    if profile.paragraph_gap >= 1 and any(not u.line.gap for u in group[1:]):
        return "kicker, title or deck set together where paragraphs are set apart"
    decks = [u.text for before, u in zip(group, group[1:]) if deck_like(u.text, before.text)]
    return f"a deck under the title: {_quote(decks[0])}" if decks else None


def decisive(group, unit, current, number):
    """(True, reason) when the evidence settles it, else None. `number`: the current item's."""
    if current is None:
        return True, "the first item of the dump"
    if current.kind == "photo":
        return True, "the item above is a photo"
    if unit.lead or unit.role == "lead":
        return True, f"a lead follows: {_quote(unit.lead or unit.line.text)}"
    if unit.line.continued:
        return True, "the report continues from another page (上接)"
    if current.closed:
        return True, f"item {number} is finished ({current.closed_by})"
    if any(NOTICE_TITLE.search(u.text) for u in group):
        return True, "a notice's title"
    levels = [u.line.level for u in group if u.line.level]
    if levels and current.title_level and min(levels) <= current.title_level:
        return True, f"a level-{min(levels)} heading, as high as item {number}'s title"
    return None


def weigh(group, unit, current, facts, number):
    """(starts a new item?, the evidence) for a heading run followed by `unit`."""
    settled = decisive(group, unit, current, number)
    if settled:
        return settled[0], [settled[1]]
    if len(group) == 1 and numbered(group[0].text):
        return False, [f"a numbered subhead inside item {number}"]
    profile, reasons = facts.profile, []
    if profile.every_headline_starts:
        reasons.append(f"the source's layout is pinned as {profile.name}: every headline starts an item")
    if profile.indented and not any(u.line.indent for u in group):
        reasons.append("printed flush where paragraphs are indented")
    gap = wide_gap(group, unit, profile)
    if gap:
        reasons.append(f"{gap[0]} blank line(s) above, {gap[1]} below, {profile.paragraph_gap} between paragraphs")
    if not (facts.formulas or facts.spacing or profile.indented) and printed_like_the_first(group, unit, facts):
        reasons.append("no lead, byline or credit in this dump, and no spacing or indents that mark "
                       "headlines: a headline printed like the first one starts an item")
    if mostly_led(facts):
        reasons.append(f"{facts.led[0]} of the dump's {facts.led[1]} headlines are followed by a lead: "
                       "this is a report whose lead was left out")
    if facts.dated and DATELINE.match(fold_width(unit.text)):
        reasons.append(f"the text opens with a dateline ({_quote(unit.text, 8)}), as this dump's reports do")
    tagged = [u.text for u in group if column_tag(u.text)]
    if tagged:
        reasons.append(f"a column tag: {_quote(tagged[0])}")
    headline = headline_shape(group, profile)
    if headline:
        reasons.append(headline)
    if reasons:
        return True, reasons
    return False, [f"a subhead of item {number}: no lead follows, item {number} is not finished, "
                   "and neither layout nor headline shape marks a new item"]
