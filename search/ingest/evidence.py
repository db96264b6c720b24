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
  - a dump of unsigned reports (no byline or credit) printing every headline alike, three
    or more followed by a lead (a broadcast stream with some leads left out);
  - text opening like a news report (`9月5日，`, `…近日推出…`, `记者从…获悉`) in a dump
    where two or more reports open like that after their lead;
  - a layout pinned as `stream`;
  - a column tag (`（钟声）`);
  - a kicker or deck printed with the title (lines set together where paragraphs are set
    apart, or a deck `——访…`, `…出席并讲话`), or, where every line is set apart, two or
    three lines in a row that each read as a whole headline.

Without any of these, the run is a subhead of the current item.
"""
import re
from dataclasses import dataclass, field
from typing import List, Optional

from .headlines import column_tag, deck_like, heading_like, numbered, whole_headline
from .layout import Profile
from ..text import fold_width

_DAY = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# How a news report's first sentence opens: it says when (`9月5日，`, `…近日推出…`, `今天上午`)
# within its first clause, or where the reporter learned it (`记者从省文物局获悉`). A part
# of a feature goes on with the story instead (`三十年前，…`, `如今，…`).
NEWS_OPENING = re.compile(rf"^(?:[^，。；：！？]{{0,24}}?(?:近日|日前|今天|昨天|今晚|昨晚|{_DAY}月{_DAY}日)"
                          r"|记者(?:近日)?从[^，。]{2,20}?(?:获悉|了解到))")
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
    opened: int = 0             # reports that open like news after their lead (NEWS_OPENING)
    signed: bool = False        # some report carries a byline or a closing credit
    parts: bool = False         # some headline is a numbered part (`一、`): articles here have parts
    alike: bool = False         # every headline run is printed alike (as many lines, as much space below)
    apart: bool = False         # every line is set apart by blank lines: none is printed with another


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
    opened = sum(1 for t in reports if news_opening(t))
    signed = any(u.closes or u.role == "byline" for u in units)
    parts = any(u.role == "heading" and numbered(u.text) for u in units)
    alike = len({shape(group, unit) for group, unit in found}) == 1
    apart = profile.paragraph_gap >= 1 and all(u.line.gap for u in units)
    return Facts(profile, formulas, spacing, opening, led, opened, signed, parts, alike, apart)


def news_opening(text):
    """The text opens the way a news report's first sentence does (NEWS_OPENING)."""
    return bool(NEWS_OPENING.match(fold_width(text)))


def shape(group, unit):
    """How a headline run is printed: (its lines, the blank lines under it)."""
    return len(group), unit.line.blanks


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


def like_led_reports(group, facts):
    """A dump of unsigned reports (no byline or closing credit: transcripts, exports) that
    prints every headline alike, where three or more are followed by a lead and none is a
    numbered part: a run shaped like a headline is a report whose lead was left out. (A
    feature's subheads come with bylines, credits or numbers, or under a headline printed
    differently: with a kicker, a deck or more space.)"""
    return (facts.led[0] >= 3 and facts.alike and not facts.signed and not facts.parts
            and all(heading_like(u.text) for u in group))


def _quote(text, limit=24):
    return text if len(text) <= limit else text[:limit] + "…"


def headline_shape(group, facts):
    """Why the run reads as a headline of several lines, or None. Where every line of the
    dump is set apart, nothing shows a kicker and its title belong together, but two or
    three lines in a row that each read as a whole headline are one: a subhead is one line."""
    if len(group) < 2 or any(u.line.level for u in group):
        return None
    if facts.profile.paragraph_gap >= 1 and any(not u.line.gap for u in group[1:]):
        return "kicker, title or deck set together where paragraphs are set apart"
    decks = [u.text for before, u in zip(group, group[1:]) if deck_like(u.text, before.text)]
    if decks:
        return f"a deck under the title: {_quote(decks[0])}"
    if facts.apart and not facts.spacing and len(group) <= 3 and all(whole_headline(u.text) for u in group):
        return f"{len(group)} headline lines in a row where every line is set apart: a kicker, title or subtitle"
    return None


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
    if not mostly_led(facts) and like_led_reports(group, facts):
        reasons.append(f"every headline here is printed alike, {facts.led[0]} are followed by a lead and no "
                       "report is signed: a report whose lead was left out")
    if (facts.opened >= 2 and news_opening(unit.text) and not current.byline_above
            and all(whole_headline(u.text) for u in group)):
        reasons.append(f"the text opens like a news report ({_quote(unit.text, 12)}), as {facts.opened} of "
                       "this dump's reports do after their lead")
    tagged = [u.text for u in group if column_tag(u.text)]
    if tagged:
        reasons.append(f"a column tag: {_quote(tagged[0])}")
    headline = headline_shape(group, facts)
    if headline:
        reasons.append(headline)
    if reasons:
        return True, reasons
    return False, [f"a subhead of item {number}: no lead follows, item {number} is not finished, "
                   "and neither layout nor headline shape marks a new item"]
