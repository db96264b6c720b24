"""The paper and the page a dump shows: mastheads, page lines and file names.

A masthead (`太原日报 2022年9月6日 星期二`, `人民日报 第4版`, or a known paper's name
alone) names the paper and gives the date or the page; a page line (`第2版`, `A3版：要闻`) gives the page of what follows. Neither
is an item. A file name gives the page too (`rmrb_20191001_p04.txt`, `D2版.txt`).
"""
import re

from . import dates, sources
from ..text import fold_width

# A paper's name as printed (太原日报, 山西晚报, 中国青年报). Leads and bylines read the names
# with a paper's suffix (晋城日报讯, 山西晚报记者 某某), not any …报 (防空警报讯号 is text).
PAPER_NAME = r"[\u4e00-\u9fff]{2,10}(?:日报|晚报|晨报|时报|商报|周报|导报|都市报|青年报|经济报|法治报|法制报)"
PAPER = re.compile(rf"^(?:{PAPER_NAME}|[\u4e00-\u9fff]{{2,10}}报)"
                   r"(?:\s*[（(]?[\u4e00-\u9fff]{2,4}版[）)]?)?")      # 人民日报海外版
PAGE = re.compile(r"^第?\s*(?P<page>[A-Za-z]?\s*\d{1,3})\s*版(?:\s*[：:·\-—]\s*\S{1,8})?$")
WEEKDAY = re.compile(r"\s*(?:星期|周)[一二三四五六日天]")
FILE_PAGE = re.compile(r"(?:^|[_\-\s.])(?:p|page)(\d{1,3})(?=[_\-\s.]|$)|(?:^|[^A-Za-z])([A-Za-z]?\d{1,3})版"
                       r"|第([A-Za-z]?\d{1,3})版", re.I)


def page_name(page):
    """`02` → `2`, `a3` → `A3`: a page as it is shown."""
    page = re.sub(r"\s+", "", page).upper()
    letter, digits = (page[0], page[1:]) if page[0].isalpha() else ("", page)
    return letter + str(int(digits))


def page_of_filename(name):
    """`rmrb_20191001_p04.txt` → `4`, `2022-09-06_D2版.txt` → `D2`, else None."""
    stem = name.rsplit(".", 1)[0]
    m = FILE_PAGE.search(stem)
    return page_name(next(g for g in m.groups() if g)) if m else None


def read(line):
    """A masthead or page line → dict(paper, date, page), else None."""
    text = fold_width(line).strip()
    paper = PAPER.match(text)
    rest = text[paper.end():].strip(" \u3000·|") if paper else text
    page = PAGE.match(rest)
    if page:
        return {"paper": paper.group(0) if paper else None, "date": None, "page": page_name(page.group("page"))}
    if not paper:
        return None
    date = dates.date_line(rest) if rest else None
    if date is None and WEEKDAY.sub("", rest).strip():
        return None
    if not rest and paper.group(0) not in {s.paper for s in sources.sources()}:
        return None             # a bare `…报` line is a masthead only for a known paper
    found = re.search(r"第?\s*([A-Za-z]?\d{1,3})\s*版\s*$", rest)
    return {"paper": paper.group(0), "date": date, "page": page_name(found.group(1)) if found else None}
