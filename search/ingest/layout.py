"""A dump's text as lines with the layout hints the segmenter needs, and its layout.

Papers lay pages out differently: paragraphs separated by blank lines, paragraphs opened
by an indent (`　　`) with no blank lines, Markdown headings. Each line keeps how many
blank lines came before it, whether it was indented, and its heading level. Page markers
(`（上接第1版）`, `（下转 D2版）`) are not text and are removed here; a line that opened with
`上接` is flagged as the continuation of an article from another page.

`profile` names the dump's layout (one of LAYOUTS, or the one pinned for its source).
"""
import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional

PAGE_MARKER = re.compile(
    r"[（(]\s*(?P<dir>上接|下转|接|转|紧接|续|转至)\s*第?\s*[A-Za-z]?\s*[\d一二三四五六七八九十]+\s*(?:版|页|面)\s*[）)]"
)
MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\ufeff]")
INDENT = re.compile(r"^(?:\u3000|\t| {2,}|\u00a0)")
SENTENCE_END = re.compile(r"[。！？!?…”」』）)]$")

# The layouts a source can be pinned to in data/sources.tsv, with what each one means.
LAYOUTS = {
    "blank-lines": "paragraphs separated by blank lines; headlines start items on evidence",
    "indented": "paragraphs open with an indent; a line printed flush is a headline",
    "plain": "one paragraph per line, no indents, no blank lines",
    "markdown": "`#` headings are headlines",
    "stream": "title, blank line, paragraphs: every headline starts an item, no lead needed",
}


@dataclass
class Line:
    text: str
    number: int            # 1-based line number in the dump
    gap: bool = False      # a blank line before it
    blanks: int = 0        # how many blank lines before it (0 for the first line)
    indent: bool = False
    level: int = 0         # Markdown heading level, 0 for none
    continued: bool = False  # opened with （上接…）


def read_lines(text):
    """Non-empty lines of a dump, page markers removed, with their layout hints."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    blanks, carried = 0, False      # carried: a `（上接…）` line of its own flags the next line
    for number, raw in enumerate(text.split("\n"), 1):
        raw = CONTROL.sub("", raw).rstrip()
        if not raw.strip(" \t\u3000\u00a0") or MD_RULE.match(raw):
            blanks += 1
            continue
        level = 0
        m = MD_HEADING.match(raw)
        if m:
            level, raw = len(m.group(1)), m.group(2)
        indent = bool(INDENT.match(raw))
        line = MD_EMPHASIS.sub(r"\2", raw).strip(" \t\u3000\u00a0")
        continued, carried = carried, False
        for marker in PAGE_MARKER.finditer(line):
            if marker.start() == 0 and marker.group("dir") in ("上接", "接", "紧接", "续"):
                continued = True
        line = PAGE_MARKER.sub("", line).strip(" \t\u3000\u00a0")
        if not line:
            blanks, carried = blanks + 1, continued
            continue
        out.append(Line(line, number, gap=bool(blanks) or not out, blanks=blanks if out else 0, indent=indent,
                        level=level, continued=continued))
        blanks = 0
    return out


def uses_blank_lines(lines):
    """Blank lines separate paragraphs here (rather than indents or nothing at all)."""
    gaps = sum(1 for line in lines[1:] if line.gap)
    return gaps >= max(2, len(lines) // 10)


def uses_indents(lines):
    """Indents open paragraphs here: most lines are indented, so an indented line is body
    text however short (headlines are printed flush)."""
    return sum(1 for line in lines if line.indent) >= max(2, len(lines) // 2)


@dataclass(frozen=True)
class Profile:
    """What a dump's layout says about its lines."""
    name: str                   # one of LAYOUTS
    indented: bool              # paragraphs open with an indent: a flush line is a headline
    blank_lines: bool           # blank lines separate paragraphs
    paragraph_gap: int          # blank lines usually printed between two paragraphs of prose
    pinned: Optional[str] = None    # the layout pinned for the source, if any

    @property
    def every_headline_starts(self):
        return self.name == "stream"


def profile(lines, pinned=None):
    """The dump's layout: detected from its lines, or the one pinned for its source."""
    prose = [len(line.text) >= 20 and bool(SENTENCE_END.search(line.text)) for line in lines]
    gaps = Counter(line.blanks for k, line in enumerate(lines) if k and prose[k] and prose[k - 1])
    paragraph_gap = gaps.most_common(1)[0][0] if gaps else int(uses_blank_lines(lines))
    if pinned:
        indented = pinned == "indented"
        blank = pinned in ("blank-lines", "stream", "markdown") and uses_blank_lines(lines)
        return Profile(pinned, indented, blank, paragraph_gap, pinned)
    indented, blank = uses_indents(lines), uses_blank_lines(lines)
    if any(line.level for line in lines):
        name = "markdown"
    elif indented:
        name = "indented"
    else:
        name = "blank-lines" if blank else "plain"
    return Profile(name, indented, blank and not indented, paragraph_gap)
