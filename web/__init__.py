"""The web front end: search pages, article pages and a JSON API over one index.

    flask --app web run                      # development
    search-web --port 8000 --index index     # production (waitress)

The search library returns data; this package only turns request parameters into library
calls (params), results into links (facets, pagination) and both into HTML or JSON.
"""
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from search import formatting, highlight
from search.article import KIND_NAMES, page_label
from search.labels import label
from search.searching import MAX_QUERY_CHARS
from search.text import INVISIBLE

from . import archive, errors, redirects
from .params import FILTER_LABELS
from .views import api, article, day, export, home, results

DEFAULTS = {
    "INDEX_DIR": None,           # None: env NEWS_INDEX_DIR or ./index
    "CLUSTER": None,             # a cluster file to search instead (env NEWS_CLUSTER); INDEX_DIR wins
    "DUMPS_DIR": None,           # None: env NEWS_DUMPS_DIR or ./seeds; built from at startup if no index
    "PER_PAGE": 10,
    "BASE_URL": None,            # the site's address for absolute URLs (redirects); None: relative ones
}

SECURITY_HEADERS = {
    # Nothing is loaded from elsewhere and no script runs: injected markup could do nothing.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def create_app(index_dir=None, test_config=None):
    """Create the app over `index_dir` (default: config INDEX_DIR, env NEWS_INDEX_DIR or
    ./index); at the default location the index is built first if only the dumps exist."""
    app = Flask(__name__)
    app.jinja_options = {**app.jinja_options, "finalize": visible}
    app.config.from_mapping(DEFAULTS)
    if test_config:
        app.config.from_mapping(test_config)
    if index_dir:
        app.config["INDEX_DIR"] = index_dir
    app.json = SafeJSONProvider(app)

    redirects.init_app(app)
    archive.init_app(app)
    errors.init_app(app)
    for view in (home, results, article, day, export, api):
        app.register_blueprint(view.bp)
    app.add_template_filter(mark)
    app.add_template_filter(marked_html, "html")
    app.jinja_env.globals.update(FILTER_LABELS=FILTER_LABELS, MAX_QUERY_CHARS=MAX_QUERY_CHARS,
                                 label=label, page_label=page_label, KIND_NAMES=KIND_NAMES,
                                 long_date=long_date)
    app.after_request(add_security_headers)
    return app


def visible(value):
    """Jinja finalize, so for everything a template prints: invisible controls from a dump
    dropped (an RLO in a title would reverse the page after it), markup kept markup."""
    if not isinstance(value, str) or not INVISIBLE.search(value):
        return value
    shown = INVISIBLE.sub("", value)
    return Markup(shown) if isinstance(value, Markup) else shown


def long_date(iso):
    """2022-09-05 → 2022年9月5日."""
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def mark(text, terms):
    """Jinja filter: `text` escaped, with the query's terms (and aliases: `terms` is the
    pair) in <mark> (safe to output)."""
    return marked_html(highlight.mark(text or "", *terms))


def marked_html(marked):
    """Jinja filter `html`: a marked passage (a hit's snippet or title) as safe HTML."""
    return Markup(formatting.html(marked))


class SafeJSONProvider(DefaultJSONProvider):
    """Keys in the library's order, readable Chinese, and <, >, & and invisible controls
    (bidi overrides…) as \\u escapes: the same data, but never markup even if a browser
    sniffed it as HTML, and nothing that reorders a page that shows the raw text."""
    ensure_ascii = False
    sort_keys = False

    def dumps(self, obj, **kwargs):
        text = super().dumps(obj, **kwargs)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def add_security_headers(response):
    response.headers.update(SECURITY_HEADERS)
    return response
