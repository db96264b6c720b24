"""Who wrote it: bylines (`记者 徐方伟`), trailing credits (`（申波、常珍）`), photo credits.

Each recognizer returns the names it found and the text with the credit removed, so that
the article body keeps only what the reporter wrote. Leads and agency credits, which vary
by paper, are data: see leads.py.
"""
import functools
import re
from types import SimpleNamespace

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
# A role, after the agency that employs the person (本报记者, 新华社记者: the [agencies] of
# data/leads.txt, so an editor who adds an agency gets its bylines too).
_ROLE_KIND = (r"(?:首席|特约|特派|见习|实习|全媒体|融媒体|驻[\u4e00-\u9fff]{1,4}?)?"     # 本报驻京记者
              r"(?:记者|通讯员|实习生|摄影记者|摄影|编辑|撰文)")
# 文/图 are roles only when a separator follows (文/图 张三, 图：李四), never inside a word.
_ROLE_SHORT = r"(?:文图|文|图)(?=[/／：:])"
# A person's name as printed: 2–4 characters, two-character names often padded (张 波).
_NAME = rf"[{_HAN}·]{{1,4}}"
_NAMES = rf"{_NAME}(?:[、\s\u3000]+{_NAME}){{0,7}}"
_SEP = r"[\s\u3000：:/／]*"
# A mark some papers print before a byline: □本报记者 某某, ■ 记者 某某.
_BULLET = r"[■□●○◎◆◇★☆▲△▶►•]?\s*"
END_MARK = re.compile(r"\s*[（(](?:完|全文完|待续)[）)]$")
_NOT_NAMES = {"草案", "摘要", "节选", "全文", "待续", "试行", "暂行", "续完", "报道", "校对", "供稿", "通讯",
              "责编", "审核", "审校", "统筹"}


def _patterns():
    """The recognizers for the agencies of data/leads.txt."""
    from . import leads         # leads uses names() from here: import it when first needed
    return _patterns_for(leads.formulas().agency)


@functools.lru_cache(maxsize=2)
def _patterns_for(agency):
    role_long = rf"(?:{agency})?{_ROLE_KIND}"
    roles = rf"(?:{role_long}|{_ROLE_SHORT})"
    return SimpleNamespace(
        role_token=re.compile(rf"^{role_long}"),
        byline=re.compile(rf"^{_BULLET}(?:{roles}{_SEP}{_NAMES}\s*)+$"),
        credit_line=re.compile(rf"^[（(]\s*(?:{roles}{_SEP})?(?P<who>{_NAMES})\s*[）)]$"),
        trailing_credit=re.compile(
            rf"(?<=[。！？!?”…）)])\s*[（(]\s*(?:{roles}{_SEP})?(?P<who>{_NAMES})\s*[）)]$"),
        photo_credit=re.compile(
            rf"(?:^|(?<=[。！？!?”）)\s]))[（(]?\s*(?P<who>(?:{roles}{_SEP})?{_NAMES})"
            r"(?:\s+|\s*[/／]\s*)(?:摄|摄影|供图)\s*[）)]?$"),
    )


def names(text):
    """Split a printed credit into names: `贾 鹏 米国伟 牛利敏` → [贾鹏, 米国伟, 牛利敏]."""
    parts = []
    for token in re.split(r"[、，,\s\u3000/／：:]+", text):
        token = _patterns().role_token.sub("", token)
        if token and token not in ("文", "图", "文图", "摄"):
            parts.append(token)
    merged = []
    i = 0
    while i < len(parts):
        # Two-character names are padded with a space in print: 张 波, 贾 鹏.
        if len(parts[i]) == 1 and i + 1 < len(parts) and len(parts[i + 1]) == 1:
            merged.append(parts[i] + parts[i + 1])
            i += 2
            continue
        merged.append(parts[i])
        i += 1
    return [n for n in merged
            if 2 <= len(n) <= 4 and n not in _NOT_NAMES and re.fullmatch(rf"[{_HAN}·]+", n)]


def byline(line):
    """A line that is only a byline (`记者 徐方伟`, `（申波、常珍）`) → names, else None."""
    line = line.strip()
    if len(line) > 40:
        return None
    m = _patterns().credit_line.match(line)
    if m:
        return names(m.group("who")) or None
    if _patterns().byline.match(line):
        return names(line) or None
    return None


def split_trailing_credit(paragraph):
    """`…举行。（何宝国）` → (['何宝国'], '…举行。'); no credit → ([], paragraph)."""
    paragraph = END_MARK.sub("", paragraph)
    m = _patterns().trailing_credit.search(paragraph)
    if m:
        found = names(m.group("who"))
        if found:
            return found, paragraph[: m.start()].rstrip()
    return [], paragraph


def split_photo_credit(line):
    """`…唯美如画。徐浩轩 摄` → (['徐浩轩'], '…唯美如画。'), or None if not a photo credit."""
    m = _patterns().photo_credit.search(line)
    if not m:
        return None
    found = names(m.group("who"))
    if not found:
        return None
    return found, line[: m.start()].rstrip()
