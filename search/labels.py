"""What to call an item in a list of results: its title, or words of its own text.

A photo has no title and a notice often only a generic one (`通知`), so a list of results
would show `（图片）`, `（图片）`, `通知`…; instead such an item is called by the start of its
own text: its first sentence without the dateline (`4月6日，`), cut at a clause to about
LABEL_CHARS characters; a notice keeps its generic heading in front (`通知：兴业公租房田黄先生`).
"""
import re

from .article import untitled_label

LABEL_CHARS = 24
# A notice's heading that says only what kind of notice it is (segment.NOTICE_TITLE finds
# such words at the end of a headline; importing the segmenter would slow a cold search).
GENERIC = re.compile(r"(?:紧急|重要)?(?:通知|公告|通告|启事|声明|公示|告示)")
_DATELINE = re.compile(r"^\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:[上下]午|晚|电|讯)?[，,]\s*")
_SENTENCE = re.compile(r"[。！？!?\n]")
_CLAUSE = re.compile(r"[，、；：,;:]")


def label(article):
    """The name of an item (a stored article dict) in a list: its title when it has a
    telling one, else words of its text (see the module docstring)."""
    title = (article.get("title") or "").strip()
    generic = article.get("kind") == "notice" and (not title or GENERIC.fullmatch(title))
    if title and not generic:
        return title
    words = opening(article.get("body") or "")
    if generic and title:
        return f"{title}：{words}" if words else title
    return words or untitled_label(article.get("kind"))


def opening(text):
    """The first sentence of `text` without its dateline, cut at a clause near LABEL_CHARS."""
    sentence = _SENTENCE.split(_DATELINE.sub("", text.strip(), count=1), maxsplit=1)[0].strip(" 　：:")
    if len(sentence) <= LABEL_CHARS:
        return sentence
    cuts = [m.start() for m in _CLAUSE.finditer(sentence, 0, LABEL_CHARS + 1) if m.start() >= 6]
    return sentence[:cuts[-1]] if cuts else sentence[:LABEL_CHARS] + "…"
