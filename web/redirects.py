"""The app's only redirects, routing's own: `/static//style.css` → `/static/style.css`
(Werkzeug merges doubled slashes), a rule's canonical trailing slash.

Werkzeug writes them as absolute URLs built from the request's Host header, which the
client chooses: `GET //static//x` with `Host: evil.example` would send a browser, or a
cache in front of us, to evil.example. So they are answered here with a relative Location,
or, when `search-web --base-url` is set (config BASE_URL), one under that configured URL.
"""
from urllib.parse import urlsplit

from flask import Response, current_app, redirect, request
from werkzeug.routing import RequestRedirect


class RelativeResponse(Response):
    """Locations are sent as written: a relative one is never completed from the Host."""
    autocorrect_location_header = False


def init_app(app):
    app.response_class = RelativeResponse
    app.config["BASE_URL"] = check_base_url(app.config.get("BASE_URL"))
    app.before_request(answer_routing_redirect)


def answer_routing_redirect():
    """Before the view: routing's redirect, with the path and query it computed only."""
    wanted = request.routing_exception
    if not isinstance(wanted, RequestRedirect):
        return None
    url = urlsplit(wanted.new_url)
    location = "/" + url.path.lstrip("/")       # never `//host/…`, which leaves the site
    if url.query:
        location += "?" + url.query
    return redirect((current_app.config["BASE_URL"] or "") + location, wanted.code)


def check_base_url(url):
    """`url` without its trailing slash, if it is an http(s) address of this site (a host,
    maybe a port and a path; no query, fragment or password), else ValueError. None stays None."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        _ = parts.port                          # raises on a port that is not a number
    except ValueError:
        parts = None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query
            or parts.fragment or "@" in parts.netloc):
        raise ValueError(f"base-url: {url!r} is not the http(s) address of this site "
                         "(like https://news.example.org or http://10.0.0.5:8000/archive)")
    return url.rstrip("/")
