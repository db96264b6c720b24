"""JSON: the search results exactly as `search --json` prints them, an article as `search
--show --json` prints it, and health."""
from flask import Blueprint, jsonify, request

from search.formatting import article_json, results_json

from .. import archive
from ..params import SearchParams

bp = Blueprint("api", __name__)


@bp.route("/api/search")
def search():
    """`limit`: hits a page, 1 to 100 (a 400 otherwise); the app's page size by default."""
    params = SearchParams.from_args(request.args)
    return jsonify(results_json(archive.search(params, per_page=request.args.get("limit"))))


@bp.route("/api/article/<article_id>")
def article(article_id):
    return jsonify(article_json(archive.get_article(article_id)))


@bp.route("/healthz")
def healthz():
    """200 with the article count and index generation; 503 without an index or with one
    that cannot be read (saying why)."""
    searcher = archive.healthy_searcher()
    overview = searcher.overview()
    return jsonify(status="ok", articles=overview["articles"], dumps=overview["dumps"],
                   generation=searcher.generation)
