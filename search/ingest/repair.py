"""Paragraphs that a column or page break cut in two, joined again (even mid-word).

A prose paragraph that stops without closing punctuation continues in the next body
paragraph (`推` + `动先进要素集聚`), even when a photo caption was printed in between (the
caption stays a caption of the article). A short line that looked like a headline is the
first half of a paragraph when the text carries on across the break: jieba reads a word
across it (`基础` + `设施`), a bracket or quote is left open, or the rest opens with a
closing mark or a comma; or it holds a comma a few characters in and stops mid-sentence
(`法律专家表示，该案对于…`), unless the dump's own headlines hold commas. Text after a lead
is prose, punctuated or not. A number cut from its unit is joined (`80.56` + `亿元`).
"""
import re

from .. import analysis
from ..text import fold_width
from .headlines import CONTINUATION, mid_comma, numbered, spaced, unclosed

SENTENCE_PUNCT = "，。；：！？、,;:!?"
OPENING = "，、“‘（《【(,"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
HAN_DIGITS = "零〇一二三四五六七八九十百千万亿两"
DATELINE = re.compile(r"(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日[，,]")
NUMBER_UNIT = re.compile(r"(?:[万亿元个件项倍名人家座户所亩吨米岁%‰％]|年[，。、]|公里|平方|千|百分)")


def open_ended(text, prose=False):
    """A prose paragraph that stops mid-sentence: the rest is after a column break.
    `prose`: the text is known to be prose (a lead opened it), punctuation or not."""
    text = text.rstrip()
    if not text:
        return False
    last = text[-1]
    if last in OPENING:
        return True
    if not HAN.match(last):
        return False
    return prose or any(p in text for p in SENTENCE_PUNCT)


def open_unit(unit):
    """The unit is a paragraph of prose that stops mid-sentence (text after a lead is prose)."""
    return open_ended(unit.text, prose=bool(unit.lead))


def cut_number(before, after):
    """A number cut from its unit by a break: `总投资80.56` | `亿元，…`, `增长12` | `%，…`."""
    return (bool(before) and before[-1].isdigit() and any(p in before for p in SENTENCE_PUNCT)
            and bool(NUMBER_UNIT.match(after)))


def spans_word(before, after):
    """jieba reads a word across the join (基础|设施 → 基础设施), or a number written in
    hanzi runs across it (到二|零三零年): the break cut a word."""
    if before and after and before[-1] in HAN_DIGITS and after[0] in HAN_DIGITS + "点":
        return True
    head, tail = before[-4:], after[:4]
    return any(start < len(head) < end for _, start, end in analysis.tokenize(head + tail))


def close_enough(unit, profile):
    """Printed no further below than paragraphs are from each other: a column break does
    not leave a wider gap."""
    return unit.line.blanks <= profile.paragraph_gap


def joinable(unit, profile):
    """A body paragraph that may be the second half of a broken one (where paragraphs are
    indented, the rest of a broken one is not)."""
    return (unit is not None and unit.role == "body" and not unit.lead and not unit.line.level
            and not unit.line.continued and not (profile.indented and unit.line.indent)
            and close_enough(unit, profile))


def continues(before, after, word=True):
    """The text after a break carries on the text before it: a bracket or quote left
    open, the rest opening with a closing mark or a comma, or (`word`) a word cut in two."""
    return bool(after) and (unclosed(before) or after[0] in CONTINUATION
                            or (word and spans_word(before, after)))


def broken_prose(unit, nxt, profile, words):
    """A line that looked like a headline but is the first half of a paragraph cut by a
    column break (…建成年代久远，基础 | 设施老化…, “庭院党 | 校”、党建微帮站…). Where
    paragraphs are indented, a flush line is a headline by layout. A word cut in two is
    evidence when the line has sentence punctuation, or when `words` and text follows: the
    dump shows leads or credits, so that its headlines need not all be titles (in a stream
    they are), and a kicker and its title are two headline-like lines; not for a line whose
    parts are set apart by spaces, as headlines are and prose is not."""
    if profile.indented or unit.role != "heading" or unit.line.level or nxt is None:
        return False
    prose = any(p in unit.text for p in "，、：；")
    if nxt.role == "heading":           # two headline-like lines: a kicker and a title?
        return (not nxt.line.level and not nxt.line.continued and close_enough(nxt, profile)
                and continues(unit.text, nxt.text, word=prose))
    return joinable(nxt, profile) and continues(unit.text, nxt.text,
                                                word=prose or (words and not spaced(unit.text)))


def opens_paragraph(text):
    """Text that opens a paragraph rather than carrying one on: a dateline, a numbered part."""
    return bool(DATELINE.match(fold_width(text))) or numbered(text)


def headlines_hold_commas(units):
    """The dump's own headlines hold commas mid-line: at least two, and a quarter, of the
    lines known to be headlines (their run has two or more lines, or a lead follows it)."""
    known, group = [], []
    for unit in units:
        if unit.role == "heading":
            group.append(unit)
            continue
        if group and (len(group) >= 2 or unit.lead or unit.role == "lead"):
            known += group
        group = []
    commas = sum(1 for u in known if mid_comma(u.text))
    return commas >= 2 and 4 * commas >= len(known)


def first_half(prev, unit, nxt, profile, careful):
    """A line read as a headline that is the first half of a paragraph cut by a column break
    (`法律专家表示，该案对于明确网络虚拟财产` | `的法律属性、…`): it holds a comma mid-line,
    stops without closing punctuation, is not the dump's first line (`prev`), and the text
    under it carries on rather than opening a paragraph. Not where the dump's own headlines
    hold commas (`careful`)."""
    return (not careful and not profile.indented and unit.role == "heading" and not unit.line.level
            and prev is not None and mid_comma(unit.text)
            and bool(HAN.match(unit.text[-1])) and joinable(nxt, profile) and not opens_paragraph(nxt.text))


def repair(units, profile, words=False):
    """Join paragraphs split by column breaks; captions printed in the break stay captions.
    `words`: a word cut in two is evidence of a break even beside a headline-like line."""
    careful = headlines_hold_commas(units)
    out = []
    i = 0
    while i < len(units):
        unit = units[i]
        i += 1
        if first_half(out[-1] if out else None, unit, units[i] if i < len(units) else None, profile, careful):
            unit.role = "body"
        while broken_prose(unit, units[i] if i < len(units) else None, profile, words):
            unit.role, unit.text = "body", unit.text + units[i].text
            unit.authors += units[i].authors
            unit.closes = units[i].closes
            i += 1
        if unit.role == "body":
            while not unit.closes:
                j = i
                while j < len(units) and units[j].role == "caption":
                    j += 1
                nxt = units[j] if j < len(units) else None
                if joinable(nxt, profile):
                    join = open_unit(unit) or cut_number(unit.text, nxt.text)
                else:
                    join = open_unit(unit) and _rest_in_a_heading(unit, nxt, profile, words)
                if not join:
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


def _rest_in_a_heading(unit, nxt, profile, words):
    """The rest of an open paragraph printed short enough to look like a headline."""
    return (not profile.indented and nxt is not None and nxt.role == "heading" and not nxt.line.level
            and not nxt.line.continued and close_enough(nxt, profile)
            and continues(unit.text, nxt.text, word=words))
