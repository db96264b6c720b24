"""Every error answer, in one place: an HTML page, or {"error": message} under /api/.

SearchError (a bad parameter, named at the start of its message) → 400 and a link to the
same search without that parameter; NoIndex → 503 saying how to build the index; HTTP
errors (404, 405) → their page; anything else → a 500 page, the traceback only in the log.
"""
from urllib.parse import urlencode

from flask import current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from search.errors import SearchError

from .archive import NoIndex
from .params import PARAMETERS, args_without, clean_query

TITLES = {400: "搜索参数有误", 404: "找不到这个页面", 405: "不支持这种请求方式",
          500: "服务器出错了", 503: "还没有索引"}
JSON_PATHS = ("/api/", "/healthz")


def init_app(app):
    app.register_error_handler(SearchError, bad_parameter)
    app.register_error_handler(NoIndex, no_index)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)


def answer(status, message, **context):
    if request.path.startswith(JSON_PATHS):
        return jsonify(error=message), status
    return render_template("error.html", status=status, title=TITLES.get(status, "出错了"), message=message,
                           q=clean_query(request.args.get("q", ""))[0], **context), status


def bad_parameter(error):
    message = str(error)
    name = message.partition(":")[0]
    corrected = None
    if name in PARAMETERS:
        corrected = url_for("results.results") + "?" + urlencode(args_without(request.args, name))
    return answer(400, message, corrected_url=corrected, parameter=name if corrected else None)


def no_index(error):
    return answer(503, str(error), command=error.command)


MESSAGES = {404: "这个地址没有页面，或文章已不在索引中。", 405: "这个地址只接受 GET 请求。"}


def http_error(error):
    """Our own 404 messages (a missing article says which) are kept; Werkzeug's English
    defaults are replaced. Headers such as 405's Allow are kept."""
    default = type(error).description
    message = MESSAGES.get(error.code, error.description) if error.description == default else error.description
    body, status = answer(error.code, message)
    return body, status, [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]


def unexpected(error):
    current_app.logger.exception("unexpected error answering %s", request.full_path)
    return answer(500, "an unexpected error occurred; it has been logged")
