"""The search page: results, facets, timeline and pages of one search URL."""
from flask import Blueprint, render_template, request

from .. import archive
from ..facets import facets, timeline
from ..pagination import paginate
from ..params import SearchParams

bp = Blueprint("results", __name__)


@bp.route("/search")
def results():
    params = SearchParams.from_args(request.args)
    found = archive.search(params)
    return render_template("results.html", params=params, q=params.q, results=found,
                           facets=facets(found, params), timeline=timeline(found, params),
                           pagination=paginate(found, params))
