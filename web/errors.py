"""Every error answer, in one place, in Chinese: an HTML page, or JSON under /api/.

The library's errors (search.errors) by kind: a bad parameter → 400 and a link to the same
search without it; NotFound → 404; Hidden (an article taken down) → 410; NoIndex → 503
saying how to build the index; IndexUnreadable → 503. HTTP errors (404, 405) → their
page; anything else → a 500 page, the traceback only in the log.

The library words its errors in English for the terminal; here each kind of error (its
`code`) is said in Chinese from its details (MESSAGES), naming the parameter as the page
does (PARAMETER_NAMES). The API answers `{"error": code, "parameter": name or null,
"message": Chinese text}`.
"""
from urllib.parse import urlencode

from flask import current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from search.errors import Hidden, IndexUnreadable, NoIndex, NotFound, SearchError
from search.formatting import printable

from .params import FILTER_LABELS, PARAMETERS, args_without, clean_query

TITLES = {400: "搜索参数有误", 404: "找不到这个页面", 405: "不支持这种请求方式", 410: "文章已撤下",
          500: "服务器出错了", 503: "还没有索引"}
STATUS = ((Hidden, 410), (NotFound, 404), (NoIndex, 503), (IndexUnreadable, 503))     # other SearchErrors: 400
JSON_PATHS = ("/api/", "/healthz")
PARAMETER_NAMES = {**FILTER_LABELS, "q": "查询", "from": "起始日期", "to": "截止日期", "sort": "排序", "page": "页码",
                   "limit": "每页条数", "date": "日期", "id": "文章编号"}
MESSAGES = {
    "unknown_value": "{name}“{value}”不在可选范围内；可选：{choices}",
    "not_a_date": "{name}“{value}”不是日期，请写成 2022-09-05、2022-09 或 2022 这样",
    "dates_reversed": "起始日期 {start} 晚于截止日期 {end}",
    "not_a_number": "{name}应当是一个正整数，而不是“{value}”",
    "out_of_range": "{name}应在 {low} 到 {high} 之间，而不是 {value}",
    "not_a_year": "年份应写成 2022 这样的四位数字，而不是“{value}”",
    "not_a_month": "月份应是 1 到 12 的数字，而不是“{value}”",
    "month_without_year": "选了月份，也要选年份（加上 year=YYYY）",
    "outside_dates": "{period} 不在所选日期范围（{start} 至 {end}）之内",
    "not_found": "找不到编号为“{id}”的文章",
    "hidden": "这篇文章已撤下，不再提供",
    "no_index": "还没有索引：运行 {command} 构建索引，然后刷新本页",
    "index_unreadable": "索引无法读取：{path}（{reason}）",
    "hidden_list_unreadable": "撤下文章的名单无法读取：{path}（{reason}），所以暂时不提供任何结果",
}
HTTP_MESSAGES = {404: "这个地址没有页面，或文章已不在索引中。", 405: "这个地址只接受 GET 请求。",
                 500: "服务器出错了，错误已记入日志。"}
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 500: "internal_error"}


def init_app(app):
    app.register_error_handler(SearchError, library_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)


def chinese(error):
    """The error's message in Chinese (its English one for a kind without a translation)."""
    template = MESSAGES.get(error.code)
    if template is None:
        return str(error)
    details = {k: "、".join(map(str, v)) if isinstance(v, (list, tuple)) else printable(v)
               for k, v in error.details.items()}
    if isinstance(error, NoIndex):
        details["command"] = error.command
    return template.format(name=PARAMETER_NAMES.get(error.parameter, error.parameter or ""), **details) + "。"


def answer(status, code, message, parameter=None, title=None, page_message=None, **context):
    """JSON under JSON_PATHS, else the error page (which may say it otherwise: `page_message`)."""
    if request.path.startswith(JSON_PATHS):
        return jsonify(error=code, parameter=parameter, message=message), status
    return render_template("error.html", status=status, title=title or TITLES.get(status, "出错了"),
                           message=page_message or message,
                           parameter=parameter, q=clean_query(request.args.get("q", ""))[0], **context), status


def library_error(error):
    status = next((code for kind, code in STATUS if isinstance(error, kind)), 400)
    if isinstance(error, NoIndex):
        return answer(status, error.code, chinese(error), page_message=f"{error.index_dir} 里还没有索引。",
                      command=error.command)
    if isinstance(error, IndexUnreadable):
        return answer(status, error.code, chinese(error), title="索引无法读取")
    corrected = None
    if status == 400 and error.parameter in PARAMETERS:
        corrected = url_for("results.results") + "?" + urlencode(args_without(request.args, error.parameter))
    return answer(status, error.code, chinese(error), error.parameter if status == 400 else None,
                  corrected_url=corrected, parameter_name=PARAMETER_NAMES.get(error.parameter, error.parameter))


def http_error(error):
    """Werkzeug's English default messages are replaced; headers such as 405's Allow are kept."""
    default = type(error).description
    message = HTTP_MESSAGES.get(error.code, error.description) if error.description == default else error.description
    body, status = answer(error.code, HTTP_CODES.get(error.code, "http_error"), message)
    return body, status, [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]


def unexpected(error):
    current_app.logger.exception("unexpected error answering %s", request.full_path)
    return answer(500, HTTP_CODES[500], HTTP_MESSAGES[500])
