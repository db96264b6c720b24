"""Publication dates: from the file name, a masthead, or datelines plus the dump's year.

A dateline (`9月5日，…`) carries no year; the year comes from the dump as a whole: an
event numbered within its year (`2022年第三次`), a signed notice (`2022年4月8日`), or
failing those the latest year the dump speaks of that is not a plan or a target
(`到2025年底`, `有效期至2025年` are skipped). Years written `二〇二四年` count too.
"""
import datetime
import re

from ..text import fold_width

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS["零"] = 0
_CN_NUM = "〇零一二三四五六七八九十"

FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})([-_.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
FULL_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
ONLY_DATE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
                       r"(?:\s*(?:星期|周)[一二三四五六日天])?(?:\s*第?\s*\S{0,4}版)?\s*$")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
HEX_RUN = re.compile(r"[0-9a-f]+")
NOT_DATELINE_BEFORE = re.compile(r"(?:截至|截止|截止到|自|从|于)$")
NOT_DATELINE_AFTER = re.compile(r"(?:起|前|后|以来|之前|之后|以前|以后)")
# (Not 季度: `2022年第四季度经济运行数据` is reported in January of the next year.)
NUMBERED_EVENT = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:度)?\s*第[一二三四五六七八九十\d]+(?:次|届|批)")
# A year after these words, or opening a range, is a plan, not the present.
FUTURE_BEFORE = re.compile(r"(?:到|至|—|－|-|～|~|计划|预计|力争|目标|远景|展望)\s*$")
FUTURE_AFTER = re.compile(r"^\s*年\s*(?:前|以前|远景|目标)")
RANGE_AFTER = re.compile(r"^\s*年?\s*(?:[—－\-～~至到]+\s*(?:19|20)\d{2})")


def _cn_number(s):
    """十二 → 12, 二十三 → 23, 五 → 5 (the numbers that appear in dates)."""
    if "十" not in s:
        return _CN_DIGITS.get(s) if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    value = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10
    return value + (_CN_DIGITS.get(ones, 0) if ones else 0)


def arabize(text):
    """Write Chinese-numeral dates with digits: 二〇二四年四月八日 → 2024年4月8日."""
    text = re.sub(r"([〇零一二三四五六七八九]{4})(?=\s*年)",
                  lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group(1)), text)

    def month_day(m):
        month, day = _cn_number(m.group(1)), _cn_number(m.group(2))
        if month and day and 1 <= month <= 12 and 1 <= day <= 31:
            return f"{month}月{day}日"
        return m.group(0)

    return re.sub(rf"(?<=年)([{_CN_NUM}]{{1,3}})月([{_CN_NUM}]{{1,3}})[日号]", month_day, text)


def make_date(year, month, day):
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


def from_filename(name):
    """`rmrb_20190210_p01.txt`, `2022-09-06_taiyuan_p02.txt` → the date, else None. Digits
    inside a hash (`005_1a20221031bc9f5e.txt`) are not a date."""
    for m in FILE_DATE.finditer(name):
        date = make_date(m.group(1), m.group(3), m.group(4))
        if date and not _inside_hash(name, m.start(), m.end()):
            return date
    return None


def _inside_hash(name, start, end):
    """The match is part of a longer run of hex digits, as hashes are."""
    while start > 0 and name[start - 1].isalnum():
        start -= 1
    while end < len(name) and name[end].isalnum():
        end += 1
    run = name[start:end]
    return len(run) >= 12 and bool(HEX_RUN.fullmatch(run)) and not run.isdigit()


def date_line(line):
    """A line that is nothing but a date (a signature or a masthead) → the date, else None."""
    m = ONLY_DATE.match(arabize(fold_width(line.strip())))
    return make_date(*m.groups()) if m else None


def dateline(paragraph, window=120):
    """The `M月D日` (or full date) that opens a report, within its first characters. Dates
    of other moments are passed over: a start (`10月1日起`, `自9月1日`), a deadline
    (`截至8月31日`), a plan (`将于9月10日`)."""
    head = arabize(fold_width(paragraph[:window]))
    found = sorted([(m.start(), m.end(), (int(m.group(1)), int(m.group(2)), int(m.group(3))))
                    for m in FULL_DATE.finditer(head)]
                   + [(m.start(), m.end(), (None, int(m.group(1)), int(m.group(2))))
                      for m in MONTH_DAY.finditer(head)])
    for start, end, parts in found:
        if not (NOT_DATELINE_BEFORE.search(head[max(0, start - 3):start]) or NOT_DATELINE_AFTER.match(head[end:])):
            return parts
    return None


def year_evidence(text):
    """(strong years, other years) the text speaks of as present or past."""
    text = arabize(text)

    def present(m):
        before, after = text[max(0, m.start() - 4): m.start()], text[m.end(1): m.end(1) + 9]
        return not (FUTURE_BEFORE.search(before) or FUTURE_AFTER.match(after) or RANGE_AFTER.match(after))

    strong = [int(m.group(1)) for m in NUMBERED_EVENT.finditer(text) if present(m)]
    weak = [int(m.group(1)) for m in YEAR.finditer(text) if present(m)]
    return strong, weak


def infer_year(strong, weak):
    """The dump's year: the latest strongly attested year, else the latest year mentioned."""
    plausible = lambda ys: [y for y in ys if 1949 <= y <= 2100]
    if plausible(strong):
        return max(plausible(strong))
    if plausible(weak):
        return max(plausible(weak))
    return None


def resolve(parts, year, latest_month=None):
    """A dateline (year or None, month, day) in a dump of `year` → a date.

    A December dateline in a dump whose latest report is from January belongs to the
    year before.
    """
    y, month, day = parts
    if y is None:
        if year is None:
            return None
        y = year - 1 if latest_month is not None and month >= 11 and latest_month <= 2 else year
    return make_date(y, month, day)
