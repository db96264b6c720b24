"""Does a headline run start a new item, or is it a subhead of the current one? And why.

The evidence holds for any paper and is weighed per dump:

* decisive for a new item: the first item; a lead after the run (any agency, data/leads.txt);
  a byline under it; `（上接…）`; the current item finished (a closing credit, a byline, a
  signature); a notice's title; a Markdown heading as high as the current title's;
* decisive for a subhead: a numbered subhead (`一、`, `（一）`, `1.`);
* otherwise any of these starts an item, since each says the layout or the shape of a
  headline: a flush line where paragraphs are indented; more blank lines above the run
  than between paragraphs (and than below it); a dump where no report opens with a lead
  (streams of transcripts and exports); a layout pinned as `stream`; a column tag
  (`（钟声）`); a kicker or deck printed with the title; a report that opens with a
  dateline (`9月5日，`).

Without any of these, the run is a subhead of the current item.
"""
import re
from dataclasses import dataclass, field
from typing import List, Optional

from .headlines import column_tag, numbered
from .layout import Profile
from ..text import fold_width

OPENS_REPORT = re.compile(r"^(?:\d{1,2}月\d{1,2}日|(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|近日|日前|昨天|昨日|今天|今日)")
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
    leads: bool                 # some report in the dump opens with a lead or a byline


def facts(units, profile):
    leads = any(u.lead or u.role == "lead" for u in units) or any(
        u.role == "byline" and k and units[k - 1].role == "heading" for k, u in enumerate(units))
    return Facts(profile, leads)


def _quote(text, limit=24):
    return text if len(text) <= limit else text[:limit] + "…"


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
    above, below = group[0].line.blanks, unit.line.blanks
    if above > profile.paragraph_gap and above > below:
        reasons.append(f"{above} blank line(s) above, {below} below, {profile.paragraph_gap} between paragraphs")
    if not facts.leads:
        reasons.append("no report in this dump opens with a lead: a headline starts an item")
    tagged = [u.text for u in group if column_tag(u.text)]
    if tagged:
        reasons.append(f"a column tag: {_quote(tagged[0])}")
    if len(group) >= 2 and not any(u.line.level for u in group):
        reasons.append("a kicker or deck printed with the title")
    if OPENS_REPORT.match(fold_width(unit.text)):
        reasons.append(f"the text opens with a dateline: {_quote(unit.text, 12)}")
    if reasons:
        return True, reasons
    return False, [f"a subhead of item {number}: no lead follows, item {number} is not finished, "
                   "and neither layout nor headline shape marks a new item"]
