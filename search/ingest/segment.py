"""Cut a dump's lines into items: articles, photo captions and notices.

Three passes, each small enough to reason about:

1. `classify` gives every line a role: heading-like, body, lead (`本报讯…`), byline,
   photo caption, notice sign-off or date.
2. `repair` joins paragraphs that a column or page break cut in two (even mid-word): a
   prose paragraph that stops without closing punctuation continues in the next body
   paragraph, even when a photo caption was printed in between.
3. `assemble` walks the units. A run of headings followed by a body starts a new item
   when the body opens like a report (lead, dateline, `上接`), when the previous item is
   finished (a credit, a byline, a signed date), or when the headings are a kicker/title
   pair; otherwise the headings are subheads inside the current article. A title printed
   after its article's body and before its credit goes back to that article.
"""
import dataclasses
import re
from dataclasses import dataclass, field
from typing import Optional

from .. import analysis
from . import bylines, dates
from .layout import Line, read_lines, uses_blank_lines, uses_indents
from ..text import fold_width, normalize

MAX_BODY = 50_000       # characters of one item; longer ones are split into parts
SENTENCE_PUNCT = "，。；：！？、,;:!?"
OPENING = "，、“‘（《【(,"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
NUMBER_UNIT = re.compile(r"(?:[万亿元个件项倍名人家座户所亩吨米岁%‰％]|年[，。、]|公里|平方|千|百分)")
WORDISH = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")
DECK = re.compile(r"^\s*(?:——|—|－－|--)")
# A deck names who spoke or chaired (`林武出席并讲话 蓝佛安主持`); `…到小店区调研` is a title.
DECK_VERB = re.compile(r"(?:出席并?讲话|出席|讲话|主持|致辞|批示)(?=\s|$)")
NOTICE_TITLE = re.compile(r"(?:通知|公告|通告|启事|声明|公示|告示|讣告|告知书|倡议书)$")
SIGNOFF = re.compile(r"^特此(?:通知|公告|通告|声明|公示|告知|函告|说明)[。！]?$")
OPENS_REPORT = re.compile(r"^(?:\d{1,2}月\d{1,2}日|(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|近日|日前|昨天|昨日|今天|今日)")


@dataclass
class Unit:
    role: str                   # heading | body | lead | byline | caption | signoff | date
    text: str
    line: Line
    authors: list = field(default_factory=list)
    lead: bool = False          # opened with 本报讯/本刊讯/…电
    closes: bool = False        # ended with a credit: the article is finished
    captions: list = field(default_factory=list)   # captions printed inside this paragraph
    inline: bool = False        # a caption that belongs to the paragraph around it
    date: Optional[object] = None


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
    signed: Optional[object] = None     # date a notice was signed
    line: int = 0

    def add_authors(self, names):
        for name in names:
            if name not in self.authors:
                self.authors.append(name)

    @property
    def headline(self):
        return " ".join(p for p in (self.kicker, self.title, self.subtitle) if p)


def heading_like(text):
    """Short, no sentence punctuation at the end or inside: how headlines are printed."""
    if len(text) > 50 or not WORDISH.search(text):
        return False
    if text[-1] in "。；，、：:;,…" or "。" in text or "；" in text:
        return False
    if text.count("，") > 1 or ("，" in text and len(text) > 30):
        return False
    return not (text[-1] in "！？!?" and len(text) > 25)


def open_ended(text):
    """A prose paragraph that stops mid-sentence: the rest is after a column break."""
    text = text.rstrip()
    if not text:
        return False
    last = text[-1]
    if last in OPENING:
        return True
    if not HAN.match(last):
        return False
    return any(p in text for p in SENTENCE_PUNCT)


def cut_number(before, after):
    """A number cut from its unit by a break: `总投资80.56` | `亿元，…`, `增长12` | `%，…`."""
    return (bool(before) and before[-1].isdigit() and any(p in before for p in SENTENCE_PUNCT)
            and bool(NUMBER_UNIT.match(after)))


def spans_word(before, after):
    """jieba reads a word across the join (基础|设施 → 基础设施): the break cut a word."""
    head, tail = before[-4:], after[:4]
    return any(start < len(head) < end for _, start, end in analysis.tokenize(head + tail))


def classify(lines):
    blank_layout, indent_layout = uses_blank_lines(lines), uses_indents(lines)
    units = []
    for line in lines:
        text = line.text
        photo = bylines.split_photo_credit(text)
        if photo:
            names, caption = photo
            if caption:
                units.append(Unit("caption", caption, line, names))
            elif units and not line.gap and (units[-1].role == "heading"
                                             or units[-1].role == "body" and blank_layout):
                units[-1].role, units[-1].authors = "caption", names
            else:       # without blank lines, the paragraph above may be the article's own
                units.append(Unit("byline", text, line, names))
            continue
        if line.level:
            units.append(Unit("heading", text, line))
            continue
        lead = bylines.split_lead(text)
        if lead:
            names, rest = lead
            if not rest:
                units.append(Unit("lead", "", line, names, lead=True))
                continue
            credit, rest = bylines.split_trailing_credit(rest)
            units.append(Unit("body", rest, line, names + credit, lead=True, closes=bool(credit)))
            continue
        names = bylines.byline(text)
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
        glued = blank_layout and not line.gap and units and units[-1].role in ("body", "signoff")
        if heading_like(text) and not glued and not (indent_layout and line.indent):
            units.append(Unit("heading", text, line))
            continue
        credit, rest = bylines.split_trailing_credit(text)
        units.append(Unit("body", rest, line, credit, closes=bool(credit)))
    return units


def repair(units):
    """Join paragraphs split by column breaks; captions printed in the break stay captions."""
    out = []
    i = 0
    while i < len(units):
        unit = units[i]
        i += 1
        if broken_prose(unit, units[i] if i < len(units) else None):
            unit.role = "body"
        if unit.role == "body":
            while not unit.closes:
                j = i
                while j < len(units) and units[j].role == "caption":
                    j += 1
                nxt = units[j] if j < len(units) else None
                if nxt is None or nxt.role != "body" or nxt.lead or nxt.line.level or nxt.line.continued:
                    break
                if not (open_ended(unit.text) or cut_number(unit.text, nxt.text)):
                    break
                for caption in units[i:j]:
                    caption.inline = True
                    unit.captions.append(caption)
                unit.text += nxt.text
                unit.authors += nxt.authors
                unit.closes = nxt.closes
                i = j + 1
        out.append(unit)
    return out


def broken_prose(unit, nxt):
    """A short line with a comma that looked like a headline but is the first half of a
    paragraph cut mid-word by a column break (…建成年代久远，基础 | 设施老化…)."""
    return (unit.role == "heading" and not unit.line.level and "，" in unit.text
            and nxt is not None and nxt.role == "body" and not nxt.lead
            and not nxt.line.continued and spans_word(unit.text, nxt.text))


def _bigrams(text):
    return {run[k:k + 2] for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]+", normalize(text))
            for k in range(len(run) - 1)}


def overlap(line, text):
    """Share of the line's character pairs found in `text`: a kicker repeats its story."""
    grams = _bigrams(line)
    if not grams:
        return 0.0
    other = _bigrams(text)
    return len(grams & other) / len(grams)


def deck_like(line, before=None):
    if DECK.match(line):
        return True
    return bool(DECK_VERB.search(line)) and (before is None or len(line) < len(before))


def split_headline(group, story):
    """A run of heading lines → (section, kicker, title, subtitle, level, subheads)."""
    lines = [u.text for u in group]
    levels = [u.line.level for u in group]
    if any(levels):
        t = min(range(len(lines)), key=lambda k: (levels[k] or 99, k))
    else:
        t = len(lines) - 1
        if t > 0 and deck_like(lines[t], lines[t - 1]):
            t -= 1
    title, after, before = lines[t], lines[t + 1:], lines[:t]
    subtitle = None
    if after and (deck_like(after[0]) or not any(levels)):
        subtitle, after = after[0], after[1:]
    kicker, sections = None, before
    if before and overlap(before[-1], title + story) >= 0.5:
        kicker, sections = before[-1], before[:-1]
    return {"section": " ".join(sections) or None, "kicker": kicker, "title": title,
            "subtitle": subtitle, "level": levels[t], "subheads": after}


class Assembler:
    """Walks classified units and builds items; see the module docstring."""

    def __init__(self, units):
        self.units = units
        self.position = {id(u): k for k, u in enumerate(units)}
        self.items = []
        self.current = None         # the article or notice being filled
        self.masthead = None        # a date printed above the first item

    def run(self):
        pending = []
        for k, unit in enumerate(self.units):
            if unit.role == "heading":
                pending.append(unit)
                continue
            if unit.role == "caption" and not unit.inline:
                self.photo(unit)
                continue
            if unit.inline:
                continue
            started = self.resolve(pending, k) if pending else False
            pending = []
            self.take(unit, started)
        if pending:
            self.trailing(pending)
        return self.items

    # -- headings ---------------------------------------------------------------------
    def resolve(self, group, k):
        """Place a heading run that precedes unit k; True if it started a new item."""
        unit = self.units[k]
        nxt = self.units[k + 1] if k + 1 < len(self.units) else None
        cur = self.current
        if unit.role == "byline":
            head_style = nxt is not None and nxt.role == "body" and not nxt.lead
            if cur and cur.title is None and cur.paragraphs and not head_style:
                self.headline(cur, group)      # title printed after the body, before the credit
                return False
            self.start(group)
            return True
        if unit.role in ("date", "signoff") and cur and not cur.closed:
            cur.paragraphs.extend(u.text for u in group)   # a signature line
            return False
        if unit.role in ("body", "lead") and not self.starts_item(group, unit):
            cur.paragraphs.extend(u.text for u in group)   # subheads
            return False
        self.start(group)
        return True

    def starts_item(self, group, unit):
        cur = self.current
        if cur is None or cur.closed or cur.kind == "photo":
            return True
        if unit.role == "lead" or unit.lead or unit.line.continued:
            return True
        if OPENS_REPORT.match(fold_width(unit.text)):
            return True
        if any(NOTICE_TITLE.search(u.text) for u in group):
            return True
        levels = [u.line.level for u in group if u.line.level]
        if levels and cur.title_level and min(levels) <= cur.title_level:
            return True
        return len(group) >= 2 and not levels

    def start(self, group):
        item = Item(line=group[0].line.number if group else 0)
        if group:
            self.headline(item, group)
        self.items.append(item)
        self.current = item

    def headline(self, item, group):
        parts = split_headline(group, self.upcoming_text(group))
        item.title, item.kicker, item.subtitle = parts["title"], parts["kicker"], parts["subtitle"]
        item.section = item.section or parts["section"]
        item.title_level = parts["level"]
        item.paragraphs.extend(parts["subheads"])
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
        last article (`扫码下载APP`, page furniture) are dropped: they are not news."""
        cur = self.current
        if cur and cur.title is None and cur.paragraphs:
            self.headline(cur, group)
            return
        if cur is None:
            item = Item(title=group[0].text, line=group[0].line.number,
                        paragraphs=[u.text for u in group[1:]], closed=True)
            self.items.append(item)
            return
        text = " ".join(u.text for u in group)
        if cur and cur.section is None and overlap(text, cur.headline + " ".join(cur.paragraphs)) >= 0.3:
            cur.section = text

    # -- everything else ----------------------------------------------------------------
    def photo(self, unit):
        item = Item(kind="photo", line=unit.line.number, closed=True)
        item.paragraphs.append(unit.text)
        item.add_authors(unit.authors)
        self.items.append(item)

    def take(self, unit, started):
        cur = self.current
        if unit.role in ("body", "lead"):
            if not started and (cur is None or unit.lead or unit.role == "lead" or cur.closed):
                self.start([])
                cur = self.current
            if unit.text:
                cur.paragraphs.append(unit.text)
            cur.captions.extend(c.text for c in unit.captions)
            cur.add_authors(unit.authors + [name for c in unit.captions for name in c.authors])
            cur.closed = cur.closed or unit.closes
        elif unit.role == "byline":
            if cur is None:
                return
            cur.add_authors(unit.authors)
            cur.closed = bool(cur.paragraphs)
        elif unit.role == "signoff":
            if cur is None or cur.closed:
                self.start([])
                cur = self.current
            cur.paragraphs.append(unit.text)
            cur.kind = "notice" if cur.kind == "article" else cur.kind
        elif unit.role == "date":
            if cur is None and not self.items:
                self.masthead = unit.date
            elif cur is not None and not cur.closed:
                cur.paragraphs.append(unit.text)
                cur.signed = unit.date
                cur.closed = True


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


def segment(text):
    """Items of a dump's text, in dump order, and the masthead date if one was printed."""
    units = repair(classify(read_lines(text)))
    assembler = Assembler(units)
    items = [part for item in assembler.run() if item.paragraphs or item.title for part in split_long(item)]
    return items, assembler.masthead
