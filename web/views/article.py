"""The article page: the whole article, its query words marked, links to what it names
(authors, places, cities, topic, paper, section, its day and the days around it), and its
neighbours in the dump."""
from urllib.parse import urlencode

from flask import Blueprint, render_template, request

from search import aliases
from search.query import literals, parse

from .. import archive
from ..params import clean_query, search_args

bp = Blueprint("article", __name__)


@bp.route("/article/<article_id>")
def show(article_id):
    article = archive.get_article(article_id)
    q, _ = clean_query(request.args.get("q", ""))
    came_from = search_args(request.args)               # the search we came from, carried along
    search = urlencode(came_from) if any(v.strip() for _, v in came_from) else ""
    tree = parse(q) if request.args.get("aliases") == "off" else aliases.expand(parse(q))[0]
    searcher = archive.get_searcher()
    days = searcher.nearest_days(article["date"]) if article["date"] else (None, None)
    return render_template("article.html", article=article, neighbours=searcher.neighbours(article), days=days,
                           q=q, terms=(literals(tree), literals(tree, aliases=True)), search=search)
