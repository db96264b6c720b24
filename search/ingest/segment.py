"""Cut a dump's lines into items: articles, photo captions and notices.

Three passes, each small enough to reason about:

1. `classify.classify` gives every line a role: heading-like, body, lead (`本报讯…`),
   byline, photo caption, notice sign-off, date or masthead. What counts as a headline
   depends on the dump's layout (layout.profile): where paragraphs are indented, a flush line.
2. `repair.repair` joins paragraphs that a column or page break cut in two.
3. `Assembler` walks the units. Each run of headings followed by text either starts a new
   item or stays in the current one as a subhead: evidence.weigh decides, and says why
   (`search-index parse --explain`), except that the first run under a masthead or page
   line printed mid-dump starts an item (a new page). A banner between two items goes to
   the one its words are about; a title printed after its article's body and before its
   credit goes back to that article.
"""
import dataclasses
from dataclasses import dataclass, field
from typing import Optional

from . import evidence
from .classify import classify
from .evidence import Decision, NOTICE_TITLE
from .headlines import numbered, overlap, split_headline
from .layout import profile as layout_profile, read_lines
from .repair import repair

MAX_BODY = 50_000       # characters of one item; longer ones are split into parts
FURNITURE = 8           # trailing lines this short, unrelated to the last item, are page furniture


@dataclass
class Item:
    kind: str = "article"
    title: Optional[str] = None
    kicker: Optional[str] = None
    subtitle: Optional[str] = None
    section: Optional[str] = None
    title_level: int = 0
    paragraphs: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    captions: list = field(default_factory=list)
    closed: bool = False
    closed_by: str = ""                 # what finished it, in words
    byline_above: bool = False          # a byline printed above its text (a feature's)
    lead: str = ""                      # the lead its report opened with (`新华社北京10月20日电`)
    signed: Optional[object] = None     # date a notice was signed
    line: int = 0
    page: Optional[str] = None          # the page line in effect where it starts
    dated: Optional[object] = None      # the date of the masthead above it

    def add_authors(self, names):
        for name in names:
            if name not in self.authors:
                self.authors.append(name)

    @property
    def headline(self):
        return " ".join(p for p in (self.kicker, self.title, self.subtitle) if p)


@dataclass
class Cut:
    """A dump cut into items, with what the dump says about itself."""
    items: list
    masthead: Optional[object] = None   # a date printed above the first item
    paper: Optional[str] = None         # named by a masthead
    page: Optional[str] = None          # the first page line or masthead page
    layout: str = ""
    facts: Optional[evidence.Facts] = None
    decisions: list = field(default_factory=list)


class Assembler:
    """Walks classified units and builds items; see the module docstring."""

    def __init__(self, units, profile):
        self.units = units
        self.position = {id(u): k for k, u in enumerate(units)}
        self.facts = evidence.facts(units, profile)
        self.items = []
        self.current = None         # the article or notice being filled
        self.cut = Cut(items=self.items, layout=profile.name, facts=self.facts)
        self.page = None            # the page line in effect
        self.dated = None           # the masthead date in effect
        self.new_page = False       # a masthead or page line since the last text
        self.page_head = None       # the first headline under it

    def run(self):
        pending = []
        for k, unit in enumerate(self.units):
            if unit.role == "masthead":
                self.masthead(unit.info)
                continue
            if unit.role == "heading" and not pending and self.new_page:
                self.page_head = unit
            if unit.role == "heading":
                pending.append(unit)
                continue
            if unit.role == "caption" and not unit.inline:
                self.photo(unit)
                continue
            if unit.inline:
                continue
            started = self.resolve(pending, k) if pending else False
            pending, self.new_page = [], False
            self.take(unit, started, k)
        if pending:
            self.trailing(pending)
        return self.cut

    def masthead(self, info):
        cut = self.cut
        cut.paper = cut.paper or info["paper"]
        if info["date"] and not self.items:
            cut.masthead = cut.masthead or info["date"]
        self.dated = info["date"] or self.dated
        self.new_page = bool(self.items)
        if info["page"]:
            self.page = info["page"]
            cut.page = cut.page or info["page"]

    def decide(self, group, started, reasons):
        """Record what became of a heading run (the item it started or stays in)."""
        self.cut.decisions.append(Decision(group[0].line.number, " / ".join(u.text for u in group),
                                           started, reasons, len(self.items) or None))

    # -- headings ---------------------------------------------------------------------
    def resolve(self, group, k):
        """Place a heading run that precedes unit k; True if it started a new item."""
        unit = self.units[k]
        nxt = self.units[k + 1] if k + 1 < len(self.units) else None
        cur = self.current
        number = len(self.items)
        if unit.role == "byline":
            head_style = nxt is not None and nxt.role == "body" and not nxt.lead
            if cur and cur.title is None and cur.paragraphs and not head_style:
                self.headline(cur, group)      # title printed after the body, before the credit
                self.decide(group, False, [f"the title of item {number}, printed after its body"])
                return False
            self.start(group, ["a byline follows"] if cur else ["the first item of the dump"])
            return True
        if unit.role in ("date", "signoff") and cur and not cur.closed:
            cur.paragraphs.extend(u.text for u in group)   # a signature line
            self.decide(group, False, [f"the signature of item {number}"])
            return False
        if group[0] is self.page_head and not unit.line.continued:
            self.start(group, ["the first headline under a masthead or page line: a new page"])
            return True
        started, reasons = evidence.weigh(group, unit, cur, self.facts, number)
        if unit.role in ("body", "lead") and not started:
            cur.paragraphs.extend(u.text for u in group)   # subheads
            self.decide(group, False, reasons)
            return False
        self.start(group, reasons)
        return True

    def new_item(self, **fields):
        """An item under the page line and masthead date in effect where it starts."""
        return Item(page=self.page, dated=self.dated, **fields)

    def start(self, group, reasons):
        item = self.new_item(line=group[0].line.number if group else 0)
        if group:
            self.headline(item, group, banner_above=True)
        self.items.append(item)
        self.current = item
        if group:
            self.decide(group, True, reasons)
        return item

    def headline(self, item, group, banner_above=False):
        story = self.upcoming_text(group)
        parts = split_headline(group, story)
        item.title, item.kicker, item.subtitle = parts["title"], parts["kicker"], parts["subtitle"]
        item.title_level = parts["level"]
        item.paragraphs.extend(parts["subheads"])
        if parts["banners"]:
            banner = " ".join(parts["banners"])
            above = self.items[-1] if banner_above and self.items else None
            if above is not None and above.section is None and (
                    overlap(banner, above.headline + " ".join(above.paragraphs))
                    > overlap(banner, item.headline + story)):
                above.section = banner          # its words are the item above's
                self.cut.decisions.append(Decision(group[0].line.number, banner, False, [
                    f"a banner of item {len(self.items)} above, whose words it repeats"], len(self.items)))
            else:
                item.section = item.section or banner
        if NOTICE_TITLE.search(item.title):
            item.kind = "notice"

    def upcoming_text(self, group):
        """The body text that follows a heading run (up to the next heading)."""
        k = self.position[id(group[-1])] + 1
        texts = []
        while k < len(self.units) and self.units[k].role != "heading":
            texts.append(self.units[k].text)
            k += 1
        if not texts and self.current is not None:
            texts = self.current.paragraphs
        return " ".join(texts)

    def trailing(self, group):
        """Headings at the end of the dump: a late title, a banner of the last article, or
        (with no article to go with) an item of their own. Short lines unrelated to the
        last article (`扫码下载APP`, page furniture) are dropped: they are not news; longer
        ones stay with the last article (a paragraph cut short by the end of the page)."""
        cur = self.current
        number = len(self.items)
        if cur and cur.kind != "photo" and cur.title is None and cur.paragraphs:
            self.headline(cur, group)
            self.decide(group, False, [f"the title of item {number}, printed after its body"])
            return
        if cur is None:
            item = self.new_item(title=group[0].text, line=group[0].line.number,
                                 paragraphs=[u.text for u in group[1:]], closed=True)
            self.items.append(item)
            self.decide(group, True, ["headlines with no text at all: an item of their own"])
            return
        text = " ".join(u.text for u in group)
        if cur.section is None and overlap(text, cur.headline + " ".join(cur.paragraphs)) >= 0.3:
            cur.section = text
            self.decide(group, False, [f"a banner of item {number}, whose words it repeats"])
        elif all(len(u.text) <= FURNITURE for u in group):
            self.decide(group, False, ["short lines after the last item (page furniture): dropped"])
        else:
            cur.paragraphs.extend(u.text for u in group)
            self.decide(group, False, [f"lines after the last item, kept as its text (item {number})"])

    # -- everything else ----------------------------------------------------------------
    def photo(self, unit):
        item = self.new_item(kind="photo", line=unit.line.number, closed=True, closed_by="a photo")
        item.paragraphs.append(unit.text)
        item.add_authors(unit.authors)
        self.items.append(item)
        self.cut.decisions.append(Decision(unit.line.number, unit.text[:24], True, ["a photo caption"],
                                           len(self.items)))

    def start_untitled(self, unit, reason):
        self.start([], [])
        self.cut.decisions.append(Decision(unit.line.number, (unit.lead or unit.text)[:24], True, [reason],
                                           len(self.items)))
        return self.current

    def take(self, unit, started, k):
        cur = self.current
        if unit.role in ("body", "lead"):
            # Where paragraphs are indented, only a headline or a lead starts an item: a
            # credit inside an article closes one of its parts (a roundup of reports).
            after_closed = cur is not None and cur.closed and not self.facts.profile.indented
            if not started and (cur is None or unit.lead or unit.role == "lead" or after_closed):
                reason = ("the first text of the dump" if cur is None
                          else f"a lead with no headline: {unit.lead}" if unit.lead
                          else f"text after item {len(self.items)} was finished ({cur.closed_by})")
                cur = self.start_untitled(unit, reason)
            cur.lead = cur.lead or unit.lead
            if unit.text:
                cur.paragraphs.append(unit.text)
            cur.captions.extend(c.text for c in unit.captions)
            cur.add_authors(unit.authors + [name for c in unit.captions for name in c.authors])
            if unit.closes and not cur.closed:
                cur.closed, cur.closed_by = True, unit.closes
        elif unit.role == "byline":
            if cur is None:
                return
            cur.add_authors(unit.authors)
            if not cur.paragraphs or self.opens_text(k):
                cur.byline_above = True
            else:
                cur.closed, cur.closed_by = True, f"byline {unit.text[:16]}"
        elif unit.role == "signoff":
            if cur is None or cur.closed:
                cur = self.start_untitled(unit, "a notice's sign-off with no headline")
            cur.paragraphs.append(unit.text)
            cur.kind = "notice" if cur.kind == "article" else cur.kind
        elif unit.role == "date":
            if cur is None and not self.items:
                self.cut.masthead = self.cut.masthead or unit.date
            elif cur is not None and not cur.closed:
                cur.paragraphs.append(unit.text)
                cur.signed = unit.date
                cur.closed, cur.closed_by = True, f"signed {unit.text}"

    def opens_text(self, k):
        """The byline at unit k is printed above the article's text, not after it: plain
        body text of the same article follows, or its first numbered part."""
        nxt = self.units[k + 1] if k + 1 < len(self.units) else None
        if nxt is not None and nxt.role == "heading":
            return numbered(nxt.text)       # the feature's first numbered part follows
        return nxt is not None and nxt.role == "body" and not nxt.lead and not nxt.line.continued


def split_long(item, limit=MAX_BODY):
    """An item whose text exceeds `limit` characters (a dump that is one 20 MB line) as
    numbered parts cut at sentence ends: every part stays searchable and quick to show."""
    if sum(map(len, item.paragraphs)) <= limit:
        return [item]
    pieces = []
    for paragraph in item.paragraphs:
        while len(paragraph) > limit:
            cut = max(paragraph.rfind(p, limit // 2, limit) for p in "。！？；!?;")
            cut = cut + 1 if cut > 0 else limit
            pieces.append(paragraph[:cut])
            paragraph = paragraph[cut:]
        pieces.append(paragraph)
    parts, size = [[]], 0
    for piece in pieces:
        if size + len(piece) > limit and parts[-1]:
            parts.append([])
            size = 0
        parts[-1].append(piece)
        size += len(piece)
    out = []
    for k, paragraphs in enumerate(parts, 1):
        part = dataclasses.replace(item, paragraphs=paragraphs, captions=item.captions if k == 1 else [])
        if item.title:
            part.title = f"{item.title}（{k}/{len(parts)}）"
        out.append(part)
    return out


def segment(text, layout=None):
    """The dump's text cut into items (a Cut), in dump order. `layout` pins one of
    layout.LAYOUTS instead of detecting it."""
    lines = read_lines(text)
    profile = layout_profile(lines, layout)
    units = classify(lines, profile)
    units = repair(units, profile, words=evidence.shows_formulas(units))
    cut = Assembler(units, profile).run()
    cut.items = [part for item in cut.items if item.paragraphs or item.title for part in split_long(item)]
    return cut
