"""Every error answer, in one place: an HTML page, or {"error": message} under /api/.

The library's errors (search.errors) by kind: a bad parameter → 400 and a link to the same
search without it; NotFound → 404; NoIndex → 503 saying how to build the index;
IndexUnreadable → 503. HTTP errors (404, 405) → their page; anything else → a 500 page,
the traceback only in the log.
"""
from urllib.parse import urlencode

from flask import current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from search.errors import IndexUnreadable, NoIndex, NotFound, SearchError

from .params import PARAMETERS, args_without, clean_query

TITLES = {400: "搜索参数有误", 404: "找不到这个页面", 405: "不支持这种请求方式",
          500: "服务器出错了", 503: "还没有索引"}
STATUS = ((NotFound, 404), (NoIndex, 503), (IndexUnreadable, 503))     # other SearchErrors: 400
JSON_PATHS = ("/api/", "/healthz")


def init_app(app):
    app.register_error_handler(SearchError, library_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)


def answer(status, message, title=None, **context):
    if request.path.startswith(JSON_PATHS):
        return jsonify(error=message), status
    return render_template("error.html", status=status, title=title or TITLES.get(status, "出错了"), message=message,
                           q=clean_query(request.args.get("q", ""))[0], **context), status


def library_error(error):
    status = next((code for kind, code in STATUS if isinstance(error, kind)), 400)
    if isinstance(error, NoIndex):
        return answer(status, f"{error}, then reload", command=error.command)
    if isinstance(error, IndexUnreadable):
        return answer(status, str(error), title="索引无法读取")
    corrected = None
    if status == 400 and error.parameter in PARAMETERS:
        corrected = url_for("results.results") + "?" + urlencode(args_without(request.args, error.parameter))
    return answer(status, str(error), corrected_url=corrected, parameter=error.parameter if corrected else None)


MESSAGES = {404: "这个地址没有页面，或文章已不在索引中。", 405: "这个地址只接受 GET 请求。"}


def http_error(error):
    """Werkzeug's English default messages are replaced; headers such as 405's Allow are kept."""
    default = type(error).description
    message = MESSAGES.get(error.code, error.description) if error.description == default else error.description
    body, status = answer(error.code, message)
    return body, status, [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]


def unexpected(error):
    current_app.logger.exception("unexpected error answering %s", request.full_path)
    return answer(500, "an unexpected error occurred; it has been logged")
