"""What headline lines look like, and which line of a headline run is the title.

A headline is short and has no sentence punctuation. In a run of headline lines the title
is flanked by a kicker above (`保基本 抓提升 促完善`) and a deck below (`——访古交市委书记
李卫平`, `林武出席并讲话`); a column tag (`（钟声）`, `（人民论坛·…）`) marks the title itself.
Lines printed further up, apart from the title's block, are banners (`政务之要`). Numbered
subheads (`一、`, `（一）`, `1.`) and box labels belong inside an article.
"""
import re

from .. import analysis
from ..text import normalize

WORDISH = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")
HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
SPACED = re.compile(rf"[{HAN}][ \u3000\u00a0]+[{HAN}]")
DECK = re.compile(r"^\s*(?:——|—|－－|--)")
# A deck names who spoke or chaired (`林武出席并讲话 蓝佛安主持`); `…到小店区调研` is a title.
DECK_VERB = re.compile(r"(?:出席并?讲话|出席|讲话|主持|致辞|致贺信|批示|作出重要指示)(?=\s|$)")
# A column's name printed after the title: `（钟声）`, `（人民论坛·…）`, `（两会·声音2020）`.
COLUMN_TAG = re.compile(rf"^.{{2,}}?[（(](?=[^（）()]*[{HAN}])[^（）()。，；！？]{{2,24}}[）)]$")
NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、．.](?!\d)"
    r"|第[一二三四五六七八九十\d]{1,3}[部章节篇]|[①-⑳])"
)
LONE_NAME = re.compile(rf"^[{HAN}·]{{2,4}}$")
# A subtitle says what a meeting did (`研究部署…`, `审议…`, `介绍…有关情况`) or names the
# report's genre (`…建设见闻`, `…纪实`); a title or kicker does neither.
AGENDA = re.compile(r"^(?:研究|部署|审议|听取|讨论|介绍)")
GENRE = re.compile(r".{4,}(?:见闻|纪实|侧记|素描|速写)$")
PAIRS = ("（）", "()", "“”", "‘’", "《》", "【】", "「」", "『』")
CONTINUATION = "，、。；：！？）)”’》】」』…"      # marks that carry a sentence on, never open a line


def heading_like(text):
    """Short, no sentence punctuation at the end or inside: how headlines are printed."""
    if len(text) > 50 or not WORDISH.search(text):
        return False
    if text[-1] in "。；，、：:;,…" or "。" in text or "；" in text:
        return False
    if text.count("，") > 1 or ("，" in text and len(text) > 30):
        return False
    return not (text[-1] in "！？!?" and len(text) > 25)


def unclosed(text):
    """A bracket or quote opened and not closed: the text stops inside it."""
    return any(text.count(o) > text.count(c) for o, c in PAIRS)


def whole_headline(text):
    """A line that reads as a whole headline, not a piece of a sentence: at least four
    characters, brackets and quotes closed, not opening with a mark that carries a sentence
    on, not ending on a dash."""
    return len(text) >= 4 and not unclosed(text) and text[0] not in CONTINUATION and not text.endswith("—")


def flush_heading(text):
    """In a layout that indents paragraphs, a flush line is a headline unless it reads as
    a sentence (a headline of several parts can be long)."""
    if heading_like(text):
        return True
    return len(text) <= 200 and bool(WORDISH.search(text)) and not any(p in text for p in "。；！？，")


def column_tag(text):
    return bool(COLUMN_TAG.match(text))


def numbered(text):
    """A numbered subhead (`一、`, `（一）`, `1.`, `①`): a part of a longer article."""
    return bool(NUMBERED.match(text))


def lone_name(text):
    """A line that is only a person's name (`李文`): an author, printed under a title or
    after the last paragraph."""
    if not LONE_NAME.match(text):
        return False
    tagged = analysis.jieba().tag(text)
    return len(tagged) == 1 and tagged[0][1] == "nr"


def deck_like(line, before=None):
    if DECK.match(line):
        return True
    return bool(DECK_VERB.search(line)) and (before is None or len(line) < len(before))


def _bigrams(text):
    return {run[k:k + 2] for run in re.findall(rf"[{HAN}]+", normalize(text))
            for k in range(len(run) - 1)}


def overlap(line, text):
    """Share of the line's character pairs found in `text`: a kicker repeats its story."""
    grams = _bigrams(line)
    if not grams:
        return 0.0
    other = _bigrams(text)
    return len(grams & other) / len(grams)


def last_block(group):
    """The lines of the run printed together (no blank line between) at its end."""
    k = len(group) - 1
    while k > 0 and not group[k].line.gap:
        k -= 1
    return k


def spaced(text):
    """Hanzi set apart by a space (`聚焦制造业当家 推动产业科技互促双强`): the parts of a
    headline. Chinese prose runs on without spaces, so such a line is not half a paragraph."""
    return bool(SPACED.search(text))


def mid_comma(text):
    """A comma in the middle of the line, a few characters in (`其中，源瀚蓝宝石`): a clause
    of a sentence."""
    k = text.find("，")
    return 2 <= k <= len(text) - 2


def subtitle_below(upper, lower):
    """The lower of two headline lines is the subtitle under its title, not the title under
    its kicker (a kicker, shorter or not, is the usual reading): a deck (`——访…`, `…出席并
    讲话`); what a meeting did (`研究…`, `部署…`, `介绍…有关情况`); a report's genre
    (`…见闻`, `…纪实`); or details in clauses (`破获案件四千余起，挽回损失二点三亿元`) under
    a line without any."""
    return (deck_like(lower, upper) or bool(AGENDA.match(lower)) or bool(GENRE.search(lower))
            or (mid_comma(lower) and "，" not in upper))


def title_index(lines):
    """Which line of a block printed together is the title."""
    tagged = [k for k, line in enumerate(lines) if column_tag(line)]
    if tagged:
        return tagged[-1]
    if len(lines) >= 3:                 # kicker, title, deck
        t = 1
        while t > 0 and deck_like(lines[t], lines[t - 1]):
            t -= 1
        return t
    return 0 if subtitle_below(lines[0], lines[1]) else 1


def split_headline(group, story):
    """A run of heading units → dict(banners, kicker, title, subtitle, level, subheads).

    `banners` are lines printed apart above the title's block, which may belong to the item
    above (the segmenter decides).
    """
    lines = [u.text for u in group]
    levels = [u.line.level for u in group]
    block = last_block(group)
    if any(levels):
        t = min(range(len(lines)), key=lambda k: (levels[k] or 99, k))
    elif len(lines) - block >= 2:      # kicker, title and deck printed together
        t = block + title_index(lines[block:])
    else:                               # lines printed apart: the title is last, above its subtitle
        t = len(lines) - 1
        if t > 0 and subtitle_below(lines[t - 1], lines[t]):
            t -= 1
    title, after, before = lines[t], lines[t + 1:], lines[:t]
    subtitle = None
    if after and (deck_like(after[0]) or not any(levels)):
        subtitle, after = after[0], after[1:]
    kicker, banners = None, before
    printed_with_title = not any(levels) and t > block
    if before and (printed_with_title or overlap(before[-1], title + story) >= 0.5):
        kicker, banners = before[-1], before[:-1]
    return {"banners": banners, "kicker": kicker, "title": title, "subtitle": subtitle,
            "level": levels[t], "subheads": after}
