"""The home page: the search box, what the archive holds, and how to write a query."""
from flask import Blueprint, render_template

from .. import archive

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    return render_template("home.html", overview=archive.get_searcher().overview())
