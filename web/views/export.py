"""Downloads of every hit of a search: /export.csv and /export.jsonl, with the parameters
of /search (the page aside), streamed as they are read from the index."""
from urllib.parse import quote

from flask import Blueprint, Response, request, stream_with_context

from search.formatting import csv_lines, jsonl

from .. import archive
from ..params import SearchParams

bp = Blueprint("export", __name__)

FORMATS = {"csv": (csv_lines, "text/csv; charset=utf-8"), "jsonl": (jsonl, "application/x-ndjson; charset=utf-8")}


@bp.route("/export.csv", defaults={"kind": "csv"}, endpoint="csv")
@bp.route("/export.jsonl", defaults={"kind": "jsonl"}, endpoint="jsonl")
def export(kind):
    lines, mimetype = FORMATS[kind]
    params = SearchParams.from_args(request.args)
    hits = archive.all_hits(params)              # checked now: a bad parameter is a 400, not half a file
    name = f"{(params.q.strip() or '全部文章')[:40]}.{kind}".replace("/", "_")
    response = Response(stream_with_context(lines(hits)), mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename=\"search.{kind}\"; filename*=UTF-8''{quote(name)}"
    return response
