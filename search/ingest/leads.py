"""Leads, closing credits and box labels of every agency, from data/leads.txt.

A lead (`新华社北京10月20日电（记者 某某）`, `央视网消息(新闻联播)：`, `本报讯`) opens a report:
a headline followed by one starts a new item. A closing credit (`（本报布鲁塞尔10月20日电）`,
`（来源：某某）`) says the item is finished. A box label (`核心阅读`) stays in its article.
The formulas are data an editor can extend; this module turns them into regular expressions.
"""
import functools
import re
from dataclasses import dataclass

from .. import data
from ..errors import SearchError
from .bylines import names
from .masthead import PAPER_NAME

FILE = "leads.txt"
SECTIONS = ("agencies", "leads", "credits", "boxes")
_SPACE = r"[\s\u3000\u00a0]*"
_DIGIT = r"[0-9０-９]"
_PLACEHOLDERS = {
    "place": r"[\u3400-\u4dbf\u4e00-\u9fff·]{1,10}",
    "date": rf"(?:{_DIGIT}{{4}}年)?{_DIGIT}{{1,2}}月{_DIGIT}{{1,2}}日",
    "any": r"[^（）()《》\n]{1,20}",
    "names": r"(?P<names>[^（）()：:\n]{1,40}?)",
}
_LITERAL = {"（": "[（(]", "(": "[（(]", "）": "[）)]", ")": "[）)]", "：": "[：:]", ":": "[：:]",
            "，": "[，,]", ",": "[，,]", " ": _SPACE}
# After a lead: an author credit, in brackets or said (`记者王明 通讯员李华报道：`), then a
# colon, a comma (据新华社报道，) or a space.
_NAME = r"[\u3400-\u4dbf\u4e00-\u9fff·]{2,4}"
_SAID = rf"记者{_SPACE}{_NAME}(?:[、\s\u3000]+(?:通讯员|实习生|记者)?{_SPACE}{_NAME}){{0,5}}"
_WHO = (rf"{_SPACE}(?:[（(](?P<who>[^（）()]{{0,40}})[）)]|(?P<said>{_SAID})报道)?"
        rf"{_SPACE}[：:，,]?{_SPACE}")


@dataclass(frozen=True)
class Formulas:
    lead: re.Pattern            # matches the start of a paragraph
    credit_end: re.Pattern      # a credit closing a paragraph
    credit_line: re.Pattern     # a line that is only a credit
    boxes: frozenset
    agency: str                 # the [agencies] (longest first) or a paper's name, as a regular expression


def _formula(template, agency, where):
    """A formula of the data file → a regular expression; SearchError for a bad one."""
    out, k = [], 0
    names_seen = False
    while k < len(template):
        c = template[k]
        if c == "{":
            end = template.find("}", k)
            key = template[k + 1:end] if end > 0 else ""
            if key == "agency":
                out.append(agency)
            elif key in _PLACEHOLDERS:
                if key == "names":
                    if names_seen:
                        raise SearchError(f"{where}: {{names}} may appear once in a formula")
                    names_seen = True
                out.append(_PLACEHOLDERS[key])
            else:
                raise SearchError(f"{where}: unknown placeholder {template[k:end + 1 if end > 0 else None]!r}; "
                                  f"use {{agency}}, {{place}}, {{date}}, {{any}} or {{names}}")
            k = end + 1
            continue
        if c == "}":
            raise SearchError(f"{where}: '}}' without '{{' in {template!r}")
        out.append(_LITERAL.get(c, re.escape(c)))
        k += 1
    return "".join(out)


def _sections(name=FILE):
    """{section: [(line number, text)]}; SearchError naming the file and line otherwise."""
    found = {s: [] for s in SECTIONS}
    current = None
    for number, line in data.numbered_lines(name):
        where = f"{data.path(name)}: line {number}"
        m = re.fullmatch(r"\[(.*)\]", line)
        if m:
            current = m.group(1).strip()
            if current not in found:
                raise SearchError(f"{where}: unknown section [{current}]; sections are "
                                  + " ".join(f"[{s}]" for s in SECTIONS))
            continue
        if current is None:
            raise SearchError(f"{where}: {line[:40]!r} is outside a section ([agencies], [leads]…)")
        if current in ("agencies", "boxes") and re.search(r"[\s{}]", line):
            raise SearchError(f"{where}: {line[:40]!r}: one name per line, without spaces or braces")
        found[current].append((number, line))
    return found


@functools.lru_cache(maxsize=1)
def formulas():
    """The compiled formulas of data/leads.txt (read once per process)."""
    sections = _sections()
    if not sections["agencies"]:
        raise SearchError(f"{data.path(FILE)}: no [agencies]: at least one is needed")
    agencies = sorted((a for _, a in sections["agencies"]), key=len, reverse=True)
    # any paper's name signs too (晋城日报讯, 山西晚报记者 某某): papers we have not listed
    agency = "(?:" + "|".join(map(re.escape, agencies)) + f"|{PAPER_NAME})"

    def compiled(section):
        parts = []
        for number, template in sections[section]:
            where = f"{data.path(FILE)}: line {number}"
            pattern = _formula(template, agency, where)
            try:
                re.compile(pattern)
            except re.error as e:
                raise SearchError(f"{where}: {template!r} is not a usable formula ({e})")
            parts.append(pattern.replace("(?P<names>", f"(?P<names{len(parts)}>"))
        return parts

    leads, credits = compiled("leads"), compiled("credits")
    credit = "(?:" + "|".join(credits) + ")" if credits else "(?!)"
    return Formulas(
        lead=re.compile(rf"^{_SPACE}(?:{'|'.join(leads) or '(?!)'}){_WHO}"),
        credit_end=re.compile(rf"(?<=[。！？!?”…）)」』])\s*{credit}{_SPACE}$"),
        credit_line=re.compile(rf"^{_SPACE}{credit}{_SPACE}$"),
        boxes=frozenset(b for _, b in sections["boxes"]),
        agency=agency,
    )


def _names_of(match):
    return [n for key, value in match.groupdict().items() if key.startswith("names") and value
            for n in names(value)]


def split_lead(paragraph):
    """`新华社北京10月20日电（记者 某某）…` → (authors, the text after the lead), or None."""
    m = formulas().lead.match(paragraph)
    if not m:
        return None
    return _names_of(m) + names(m.group("who") or m.group("said") or ""), paragraph[m.end():]


def split_closing_credit(paragraph):
    """`…举行。（本报布鲁塞尔10月20日电）` → (authors, text before it), or None without one.
    A paragraph that is only a credit gives ([names], "")."""
    m = formulas().credit_line.match(paragraph)
    if m:
        return _names_of(m), ""
    m = formulas().credit_end.search(paragraph)
    if m:
        return _names_of(m), paragraph[:m.start()].rstrip()
    return None


def box_label(line):
    """A line that is only the label of a box inside an article (`核心阅读`, `【编者按】`)."""
    text = line.strip().strip("【】[]").rstrip("：:").strip()
    return text in formulas().boxes
