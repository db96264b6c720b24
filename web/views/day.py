"""A day's issue: every item of one date, grouped by paper and page in print order, with
links to the nearest days before and after that have items."""
from flask import Blueprint, render_template

from .. import archive

bp = Blueprint("day", __name__)


@bp.route("/day/<date>")
def show(date):
    """A 404 (the same page, with the nearest days) for a date without items."""
    day = archive.get_searcher().day(date)
    return render_template("day.html", day=day), 200 if day.total else 404
