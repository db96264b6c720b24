"""Dump file → Articles: segmentation, then date, city and topic for each item.

    articles = parse_file("seeds/000_ac6bb446a57d0c7e.txt")

Dates: a date in the file name is the publication date of every item. Otherwise each item
takes its dateline (the lead's `新华社北京10月20日电`, else the text's `9月5日，…`) with the
year inferred from the whole dump, a notice its
signature date, and an item without either the date of the masthead printed above it, else
the dump's date: a date line above its first item, else its latest dateline.

Paper: the source's (data/sources.tsv), else a masthead's. Page: the file name's, else the
page line or masthead above the item.
"""
import os

from . import dates, dumps, masthead, places, sources, topics
from ..article import Article, article_id
from .segment import segment
from ..text import fold_width, normalize


def read_file(path, root=None):
    """(text, source) of the dump at `path`; its source is its path relative to `root`."""
    root = root or os.path.dirname(os.path.abspath(path))
    source = os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")
    dumps.check_name(str(path))
    return dumps.read(path, display=str(path)), source


def parse_file(path, root=None):
    """Articles of the dump at `path`; ids are keyed by its path relative to `root`."""
    return parse_text(*read_file(path, root))


def cut_text(text, source):
    """The dump's text cut into items, with the layout pinned for its source if any."""
    configured = sources.configured(os.path.basename(source))
    return segment(text, layout=configured.layout if configured else None)


def parse_text(text, source):
    name = os.path.basename(source)
    configured = sources.configured(name)
    cut = cut_text(text, source)
    items = cut.items
    item_dates = _dates(items, cut.masthead, fold_width(text), dates.from_filename(name))
    home = configured.home if configured else _home_city(items)
    paper = configured.paper if configured else cut.paper
    file_page = masthead.page_of_filename(name)
    articles, seen = [], {}
    for seq, (item, date) in enumerate(zip(items, item_dates), 1):
        headline = normalize(item.headline)
        body = "\n".join(item.paragraphs)
        norm_body = normalize(body + "\n" + "\n".join(item.captions))
        cities, found = places.cities_of(headline, norm_body, home)
        item_id = article_id(source, item.paragraphs[0] if item.paragraphs else item.title, seen)
        articles.append(Article(
            id=item_id, source=source, seq=seq, kind=item.kind,
            title=item.title, kicker=item.kicker, subtitle=item.subtitle, section=item.section,
            authors=item.authors, date=date.isoformat() if date else None,
            cities=cities, places=found,
            topic=topics.classify(headline, norm_body),
            body=body, captions=item.captions,
            paper=paper, page=file_page or item.page or cut.page,
        ))
    return articles


def _dates(items, masthead, folded_text, file_date):
    if file_date:
        return [file_date] * len(items)
    lines = []
    for item in items:
        first = next((p for p in item.paragraphs if len(p) >= 20), item.paragraphs[0] if item.paragraphs else "")
        lines.append(dates.dateline(item.lead) or dates.dateline(first))
    strong, weak = dates.year_evidence(folded_text)
    strong += [d.year for d in [masthead] + [i.signed or i.dated for i in items] if d]
    year = dates.infer_year(strong, weak)
    months = {parts[1] for parts in lines if parts and parts[0] is None}
    straddles = any(m >= 11 for m in months) and any(m <= 2 for m in months)
    resolved = [dates.resolve(parts, year, latest_month=1 if straddles else None) if parts else None
                for parts in lines]
    resolved = [item.signed or d for item, d in zip(items, resolved)]
    fallback = masthead or max((d for d in resolved if d), default=None)
    return [d or item.dated or fallback for item, d in zip(items, resolved)]


def _home_city(items):
    """The city that dominates the dump's own place names (for an unconfigured source).
    Item by item: jieba's words of a whole 20 MB dump at once would take a gigabyte."""
    return places.dominant_city([place for i in items
                                 for place in places.find(normalize(i.headline + "\n" + "\n".join(i.paragraphs)))])
