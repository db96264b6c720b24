"""The web app through Flask's test client: every page, filter, link, error and escape."""
import builtins
import html
import os
import re
import shutil
import socket
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from click.testing import CliRunner
from markupsafe import escape
from werkzeug.test import EnvironBuilder

from builders import BIDI_DUMP, add_dump, build_index, copy_seeds
from search import index
from search.formatting import article_json, results_json
from search.searching import Searcher
from web import create_app
from web.cli import serve

HOSTILE = """

<script>alert(1)</script>“引号”标题

本报讯 9月6日，一段含有 <script>alert(1)</script> 和 <img src=x onerror=alert(1)> 的文字，还有"双引号"和'单引号'。

<img src=x onerror=alert(1)> 图片标题

本报讯 9月6日，太原市迎泽区举行活动，"引号" & 符号。
"""
HOSTILE_DUMP = "2022-09-06_taiyuan_p09.txt"
NEW_DUMP = """每日要闻

本报讯（记者 王芳）9月6日，晋祠博物馆推出夜游项目，游客可在灯光下参观古建筑。
"""
ARTICLES = 35 + 2                # the seed dumps and HOSTILE
PHOTO = "5113a615ac-900c7a"          # an untitled photo about 太忻
TAIXIN = "f7f6be5d04-ac6655"         # an article with 太忻 in its title and body


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    dumps = copy_seeds(tmp_path_factory.mktemp("dumps"))
    add_dump(dumps, HOSTILE_DUMP, HOSTILE)
    folder = tmp_path_factory.mktemp("ix") / "index"
    build_index(folder, dumps)
    return str(folder)


@pytest.fixture(scope="module")
def app(index_dir, tmp_path_factory):
    return create_app(index_dir, {"TESTING": True, "DUMPS_DIR": str(tmp_path_factory.mktemp("none") / "x")})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def searcher(index_dir):
    with Searcher(index_dir) as s:
        yield s


# -- reading pages ------------------------------------------------------------------------

def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def total(text):
    return int(re.search(r'<strong id="total">([\d,]+)</strong>', text).group(1).replace(",", ""))


def hit_ids(text):
    return re.findall(r'<h3><a href="/article/([^"?]+)', text)


def facet_values(text, name):
    """[(label, count, url, selected)] of one facet of a results page."""
    section = re.search(rf'<section class="facet" aria-labelledby="facet-{name}">(.*?)</section>', text, re.S)
    if not section:
        return []
    found = re.findall(r'<a class="facet-value( selected)?" href="([^"]+)"[^>]*>\s*'
                       r'<span class="value">([^<]+)</span> <span class="count">(\d+)</span>', section.group(1))
    return [(label, int(count), html.unescape(url), bool(selected)) for selected, url, label, count in found]


def chips(text):
    """{chip text: url} of the active filters."""
    return {html.unescape(label): html.unescape(url)
            for url, label in re.findall(r'<a class="chip" href="([^"]+)"[^>]*>([^<]+)<span', text)}


def link(text, rel):
    return html.unescape(re.search(rf'<a rel="{rel}" href="([^"]+)"', text).group(1))


def args_of(url):
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


# -- home -----------------------------------------------------------------------------------

def test_home_has_search_box_archive_size_newest_and_query_help(client):
    text = page(client, "/")
    assert '<html lang="zh-CN">' in text
    assert '<form class="search-form" role="search" action="/search" method="get">' in text
    assert '<label for="q">' in text and 'id="q" name="q"' in text
    assert f"已收录 <strong>{ARTICLES}</strong> 篇文章，来自 <strong>6</strong> 个报纸版面文件" in text
    assert '最新日期 <a href="/day/2024-02-25"><time datetime="2024-02-25">2024-02-25</time></a>' in text
    for example in ("太忻 一体化", "&#34;推动先进要素集聚&#34;", "太忻 OR 雄安", "-疫情", "NOT", "title:太忻",
                    "author:陈剑", "place:晋祠", "city:太原", "topic:经济", "综改*", "&#34;14+7&#34;",
                    "title:(太忻 OR 老旧)", "太忻 NEAR/10 一体化"):
        assert example in text


# -- search results ---------------------------------------------------------------------------

def test_results_show_total_time_description_and_marked_hits(client, searcher):
    text = page(client, "/search?q=太忻")
    assert total(text) == 6
    assert re.search(r"用时 \d+ 毫秒", text)
    assert 'class="described"' not in text and text.count("“太忻”") == 1     # the heading only
    assert hit_ids(text) == [h.id for h in searcher.search("太忻").hits]
    assert '全省开发区2022年第三次“三个一批”活动暨<mark>太忻</mark>一体化经济区建设推进会举行' in text
    assert f'<a href="/article/{TAIXIN}?q=%E5%A4%AA%E5%BF%BB">' in text
    assert ('<a href="/day/2022-09-05"><time datetime="2022-09-05">2022-09-05</time></a> · '
            '<span class="cities">太原 忻州 朔州</span>') in text
    assert '<span class="topic">经济</span>' in text
    assert "000_ac6bb446a57d0c7e.txt" not in text             # the dump's name is on the article page only


PHOTO_LABEL = "太钢将深度融入太忻一体化经济区发展"     # its caption's first sentence


def test_photos_and_untitled_items_get_a_label_from_their_own_text(client):
    text = page(client, "/search?q=太钢")
    assert f'<h3><a href="/article/{PHOTO}?q=%E5%A4%AA%E9%92%A2">{PHOTO_LABEL}</a></h3>' in text
    assert '<span class="kind">图片</span>' in text


def test_empty_query_lists_every_article_newest_first(client, searcher):
    text = page(client, "/search?q=")
    assert total(text) == ARTICLES
    assert "全部文章" in text and '<span class="described">（按时间从新到旧）</span>' in text
    assert hit_ids(text) == [h.id for h in searcher.search("", sort="date").hits]
    sort = re.search(r'<nav class="sort".*?</nav>', text, re.S).group(0)
    assert "相关度" not in sort                      # nothing to rank by relevance
    assert '<strong aria-current="true">时间（新→旧）</strong>' in sort
    assert '<a href="/search?q=&amp;sort=oldest">时间（旧→新）</a>' in sort


@pytest.mark.parametrize("query,expected", [
    ("city=忻州", dict(cities=["忻州"])),
    ("city=太原市", dict(cities=["太原"])),
    ("city=太原&city=忻州", dict(cities=["太原", "忻州"])),
    ("topic=经济", dict(topics=["经济"])),
    ("year=2022", dict(date_from="2022-01-01", date_to="2022-12-31")),
    ("year=2022&month=4", dict(date_from="2022-04-01", date_to="2022-04-30")),
    ("year=2022&month=04", dict(date_from="2022-04-01", date_to="2022-04-30")),
    ("from=2022-04-01", dict(date_from="2022-04-01")),
    ("to=2022-03-31", dict(date_to="2022-03-31")),
    ("year=2022&from=2022-09-01", dict(date_from="2022-09-01", date_to="2022-12-31")),
    ("city=太原&topic=民生&year=2022", dict(cities=["太原"], topics=["民生"], date_from="2022-01-01",
                                         date_to="2022-12-31")),
    ("sort=date", dict(sort="date")),
    ("page=2", dict(page=2)),
    ("page=2&sort=date&city=太原", dict(page=2, sort="date", cities=["太原"])),
])
@pytest.mark.parametrize("q", ["", "太原"])
def test_every_filter_gives_the_library_results(client, searcher, q, query, expected):
    text = page(client, f"/search?q={q}&{query}")
    results = searcher.search(q, **expected)
    assert total(text) == results.total
    assert hit_ids(text) == [h.id for h in results.hits]


def test_facet_counts_follow_the_filters(client, searcher):
    text = page(client, "/search?q=&city=太原&topic=经济")
    facets = searcher.search("", cities=["太原"], topics=["经济"]).facets
    assert [(label, count) for label, count, _, _ in facet_values(text, "city")] == list(facets["city"].items())
    assert [(label, count) for label, count, _, _ in facet_values(text, "topic")] == [("经济", facets["topic"]["经济"])]


@pytest.mark.parametrize("start", ["/search?q=", "/search?q=太忻", "/search?q=&year=2022", "/search?q=太原&city=晋中"])
def test_following_a_facet_link_shows_as_many_articles_as_its_count(client, start):
    text = page(client, start)
    values = [v for name in ("city", "topic", "year", "month") for v in facet_values(text, name)]
    assert values
    for label, count, url, selected in values:
        if not selected:
            followed = page(client, url)
            assert total(followed) == count, (label, url)


def test_a_facet_link_adds_its_filter_and_a_chip_that_removes_it(client):
    text = page(client, "/search?q=太忻&page=1")
    url = next(url for label, _, url, _ in facet_values(text, "city") if label == "忻州")
    assert args_of(url) == [("q", "太忻"), ("city", "忻州")]
    filtered = page(client, url)
    assert chips(filtered) == {"城市：忻州": "/search?q=%E5%A4%AA%E5%BF%BB"}
    assert [(label, selected) for label, _, _, selected in facet_values(filtered, "city") if selected] == [("忻州", True)]
    back = page(client, chips(filtered)["城市：忻州"])
    assert total(back) == 6 and not chips(back)


def test_a_selected_facet_value_links_to_the_search_without_it(client):
    text = page(client, "/search?q=&city=太原&city=忻州")
    selected = {label: url for label, _, url, is_selected in facet_values(text, "city") if is_selected}
    assert args_of(selected["忻州"]) == [("q", ""), ("city", "太原")]
    assert args_of(selected["太原"]) == [("q", ""), ("city", "忻州")]


def test_every_filter_shows_as_a_chip_linking_to_the_search_without_it(client):
    text = page(client, "/search?q=太原&city=太原&topic=经济&year=2022&month=4&from=2022-04-05&to=2022-04-20&sort=date")
    found = {label: args_of(url) for label, url in chips(text).items()}
    everything = [("q", "太原"), ("city", "太原"), ("topic", "经济"), ("year", "2022"), ("month", "04"),
                  ("from", "2022-04-05"), ("to", "2022-04-20"), ("sort", "date")]

    def but(*names):
        return [(k, v) for k, v in everything if k not in names]
    assert found == {"城市：太原": but("city"), "主题：经济": but("topic"), "年份：2022": but("year", "month"),
                     "月份：2022-04": but("month"), "起：2022-04-05": but("from"), "止：2022-04-20": but("to")}


def test_the_search_form_keeps_the_filters_as_hidden_fields(client):
    text = page(client, "/search?q=太原&city=晋中&year=2022&sort=date&page=2")
    form = re.search(r'<form class="search-form".*?</form>', text, re.S).group(0)
    assert re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form) == [
        ("city", "晋中"), ("year", "2022"), ("sort", "date")]
    dates = re.search(r'<form class="dates".*?</form>', text, re.S).group(0)
    assert 'method="get"' in dates and '<label for="from">' in dates and '<label for="to">' in dates


def test_months_appear_once_a_year_is_chosen(client):
    assert facet_values(page(client, "/search?q="), "month") == []
    months = facet_values(page(client, "/search?q=&year=2022"), "month")
    assert [(label, count) for label, count, _, _ in months] == [("2月", 5), ("3月", 6), ("4月", 11), ("9月", 8)]
    assert args_of(months[2][2]) == [("q", ""), ("year", "2022"), ("month", "04")]


def test_timeline_has_a_bar_per_year_linking_to_it_gaps_included(client):
    text = page(client, "/search?q=")
    assert '<figcaption>各年的结果数</figcaption>' in text
    bars = re.findall(r'<a href="([^"]+)" aria-label="(\d+)年：(\d+) 篇"', text)
    assert [(year, int(n)) for _, year, n in bars] == [("2022", 30), ("2024", 7)]
    assert args_of(html.unescape(bars[0][0])) == [("q", ""), ("year", "2022")]
    assert '<span class="empty"><span class="visually-hidden">2023年：0 篇</span>' in text
    assert '<span class="bar h100">' in text and '<span class="bar h25">' in text     # 7 of 30: 23% → 25%


def test_timeline_of_a_year_has_twelve_months_linking_to_them(client):
    text = page(client, "/search?q=&year=2022")
    assert "<figcaption>2022年各月的结果数</figcaption>" in text
    assert len(re.findall(r'aria-label="2022年\d+月：\d+ 篇"|"visually-hidden">2022年\d+月：0 篇<', text)) == 12
    assert re.search(r'<a href="[^"]+month=04" aria-label="2022年4月：11 篇">', text)


@pytest.mark.parametrize("url", ["/search?q=&year=2022&month=4", "/search?q=雄安", "/search?q=&city=大同"])
def test_no_timeline_when_one_period_holds_every_match(client, url):
    """One bar (a single year, the chosen month) says nothing the total does not, and
    takes a block of the phone's screen above the first result."""
    text = page(client, url)
    assert total(text) > 0 and "<figure" not in text


def test_pagination_links_pages_and_previous_next(client, searcher):
    first = page(client, "/search?q=")
    assert 'rel="prev"' not in first
    numbers = re.findall(r'<a href="[^"]+" aria-label="第 (\d+) 页">', first)
    assert numbers == ["2", "3", "4"] and '<strong aria-current="page">1</strong>' in first
    second = page(client, link(first, "next"))
    assert hit_ids(second) == [h.id for h in searcher.search("", page=2).hits]
    assert args_of(link(second, "prev")) == [("q", "")]
    last = page(client, "/search?q=&page=4")
    assert 'rel="next"' not in last and len(hit_ids(last)) == ARTICLES - 30


def test_pagination_is_bounded(app, client):
    app.config["PER_PAGE"] = 1
    try:
        text = page(client, "/search?q=&page=20")
    finally:
        app.config["PER_PAGE"] = 10
    shown = re.findall(r'aria-label="第 (\d+) 页"', text) + re.findall(r'aria-current="page">(\d+)<', text)
    assert sorted(map(int, shown)) == [1, 18, 19, 20, 21, 22, ARTICLES]
    assert text.count('<li class="gap" aria-hidden="true">…</li>') == 2


def test_a_page_past_the_end_links_to_the_last_page(client):
    text = page(client, "/search?q=&page=9")
    assert "第 9 页没有结果：这次搜索共 4 页。" in text
    assert '<a href="/search?q=&amp;page=4">去最后一页（第 4 页）</a>' in text
    assert args_of(link(text, "prev")) == [("q", ""), ("page", "4")]


def test_sort_toggle_links_to_the_other_orders(client, searcher):
    text = page(client, "/search?q=太忻&city=太原")
    assert '<strong aria-current="true">相关度</strong>' in text
    assert '<a href="/search?q=%E5%A4%AA%E5%BF%BB&amp;city=%E5%A4%AA%E5%8E%9F&amp;sort=date">时间（新→旧）</a>' in text
    assert '<a href="/search?q=%E5%A4%AA%E5%BF%BB&amp;city=%E5%A4%AA%E5%8E%9F&amp;sort=oldest">时间（旧→新）</a>' in text
    by_date = page(client, "/search?q=太忻&city=太原&sort=date&page=1")
    assert '<a href="/search?q=%E5%A4%AA%E5%BF%BB&amp;city=%E5%A4%AA%E5%8E%9F">相关度</a>' in by_date
    assert "（城市 太原，按时间从新到旧）" in by_date
    oldest = page(client, "/search?q=太忻&city=太原&sort=oldest")
    assert hit_ids(oldest) == [h.id for h in searcher.search("太忻", cities=["太原"], sort="oldest").hits]
    assert "（城市 太原，按时间从旧到新）" in oldest
    assert hit_ids(page(client, "/search?q=太忻&sort=newest")) == hit_ids(page(client, "/search?q=太忻&sort=date"))


def test_an_empty_result_says_so_and_offers_to_drop_each_filter(client):
    text = page(client, "/search?q=雄安&city=太原&year=2024")
    assert total(text) == 0 and hit_ids(text) == []
    assert "没有找到符合条件的文章。" in text
    offers = dict((html.unescape(label), args_of(html.unescape(url))) for url, label in
                  re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', text.split("没有找到")[1].split("查询语法")[0]))
    assert offers == {
        "去掉“城市：太原”": [("q", "雄安"), ("year", "2024")],
        "去掉“年份：2024”": [("q", "雄安"), ("city", "太原")],
        "去掉查询词，只按筛选条件浏览": [("q", ""), ("city", "太原"), ("year", "2024")],
        "只搜“雄安”，不加筛选": [("q", "雄安")],
        "浏览全部文章": [("q", "")],
    }


# -- bad parameters -----------------------------------------------------------------------------

CITIES = "太原、大同、朔州、忻州、阳泉、吕梁、晋中、长治、晋城、临汾、运城"
BAD = [
    ("q=太忻&sort=bogus", "sort", "unknown_value", "排序“bogus”不在可选范围内；可选：relevance、date、oldest。"),
    ("q=太忻&page=0", "page", "out_of_range", "页码应在 1 到 100000 之间，而不是 0。"),
    ("q=太忻&page=abc", "page", "not_a_number", "页码应当是一个正整数，而不是“abc”。"),
    ("q=太忻&from=2022-13-45", "from", "not_a_date", "起始日期“2022-13-45”不是日期，请写成 2022-09-05、2022-09 或 2022 这样。"),
    ("q=太忻&to=yesterday", "to", "not_a_date", "截止日期“yesterday”不是日期，请写成 2022-09-05、2022-09 或 2022 这样。"),
    ("q=太忻&from=2022-05-01&to=2022-04-01", "from", "dates_reversed", "起始日期 2022-05-01 晚于截止日期 2022-04-01。"),
    ("q=太忻&month=4", "month", "month_without_year", "选了月份，也要选年份（加上 year=YYYY）。"),
    ("q=太忻&year=2022&month=13", "month", "not_a_month", "月份应是 1 到 12 的数字，而不是“13”。"),
    ("q=太忻&year=22", "year", "not_a_year", "年份应写成 2022 这样的四位数字，而不是“22”。"),
    ("q=太忻&city=北京", "city", "unknown_value", f"城市“北京”不在可选范围内；可选：{CITIES}。"),
    ("q=太忻&topic=体育", "topic", "unknown_value",
     "主题“体育”不在可选范围内；可选：经济、城建、民生、教育、卫生健康、政务、科技、文旅、生态、安全、法治。"),
    ("q=太忻&city=%00", "city", "unknown_value", f"城市“\\x00”不在可选范围内；可选：{CITIES}。"),
    ("q=太忻&kind=video", "kind", "unknown_value", "类型“video”不在可选范围内；可选：article、photo、notice。"),
]


@pytest.mark.parametrize("query,parameter,code,message", BAD)
def test_a_bad_parameter_gives_a_400_page_in_chinese_and_a_corrected_search(client, query, parameter, code, message):
    text = page(client, f"/search?{query}", status=400)
    assert "搜索参数有误" in text
    assert f'<p class="error-message" role="alert" data-parameter="{parameter}">{escape(message)}</p>' in text
    corrected = html.unescape(re.search(r'<a href="([^"]+)">去掉“(\w+)”后重新搜索</a>', text).group(1))
    assert [k for k, _ in args_of(corrected)] == [k for k, _ in parse_qsl(query) if k != parameter]
    assert total(page(client, corrected)) > 0


@pytest.mark.parametrize("query,parameter,code,message", BAD + [
    ("q=太忻&limit=0", "limit", "out_of_range", "每页条数应在 1 到 100 之间，而不是 0。"),
    ("q=太忻&limit=101", "limit", "out_of_range", "每页条数应在 1 到 100 之间，而不是 101。"),
    ("q=太忻&limit=ten", "limit", "not_a_number", "每页条数应当是一个正整数，而不是“ten”。"),
])
def test_a_bad_parameter_is_a_400_json_error_in_the_api(client, query, parameter, code, message):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    assert response.get_json() == {"error": code, "parameter": parameter, "message": message}


def test_an_over_long_query_is_cut_with_a_notice(client, searcher):
    q = "太忻 一体化经济区 " * 1000
    assert len(q) == 10000
    text = client.get("/search", query_string={"q": q}).get_data(as_text=True)
    assert '<p class="notice" role="status">查询过长，只搜索了前 1000 个字符。</p>' in text
    assert f'value="{q[:1000]}"' in text and 'maxlength="1000"' in text
    assert total(text) == searcher.search(q[:1000]).total > 0


def test_control_characters_are_dropped_with_a_notice(client):
    text = client.get("/search", query_string={"q": "太\x00忻\x1b[31m"}).get_data(as_text=True)
    assert "查询中的控制字符已删除。" in text
    assert "\x00" not in text and "\x1b" not in text
    assert 'value="太 忻 [31m"' in text


def test_unknown_pages_are_a_404_page(client):
    text = page(client, "/no/such/page", status=404)
    assert "找不到这个页面" in text and '<a href="/">回到首页</a>' in text


def test_a_post_is_a_405_page(client):
    assert client.post("/search", data={"q": "太忻"}).status_code == 405


def test_an_unexpected_error_is_a_500_page_without_traceback(index_dir, caplog):
    app = create_app(index_dir, {"TESTING": True})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")
    response = app.test_client().get("/boom")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "服务器出错了" in text and "secret internals" not in text and "Traceback" not in text
    assert "unexpected error answering /boom" in caplog.text and "secret internals" in caplog.text


# -- articles -----------------------------------------------------------------------------------

def test_article_page_shows_the_whole_article_with_its_metadata(client, searcher):
    article = searcher.article(TAIXIN)
    text = page(client, f"/article/{TAIXIN}")
    assert '<h1 id="article-heading">全省开发区2022年第三次“三个一批”活动暨太忻一体化经济区建设推进会举行' in text
    assert '<p class="subtitle">林武出席并讲话 蓝佛安主持</p>' in text
    for paragraph in article["body"].split("\n"):
        assert f"<p>{html.escape(paragraph)}</p>" in text
    assert '<dt>作者</dt><dd><a href="/search?q=author:%E9%99%88%E4%BF%8A%E7%90%A6">陈俊琦</a></dd>' in text
    assert '<dt>城市</dt><dd><a href="/search?q=&amp;city=%E5%A4%AA%E5%8E%9F">太原</a>' in text
    places = re.search(r"<dt>地点</dt><dd>(.*?)</dd>", text).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', places) == [
        (f"/search?q={quote('place:' + p, safe=':')}", p) for p in article["places"]]
    assert '<dt>日期</dt><dd><a href="/day/2022-09-05"><time datetime="2022-09-05">2022-09-05</time></a></dd>' in text
    assert '<dt>主题</dt><dd><a href="/search?q=&amp;topic=%E7%BB%8F%E6%B5%8E">经济</a></dd>' in text
    assert "<dt>来源</dt><dd>000_ac6bb446a57d0c7e.txt（第 1 篇）</dd>" in text
    assert '<a href="/search?q=">← 浏览全部文章</a>' in text
    assert "<mark>" not in text


def test_article_page_marks_the_query_words_and_links_back_to_the_search(client):
    text = page(client, f"/article/{TAIXIN}?q=太忻 -疫情")
    assert "活动暨<mark>太忻</mark>一体化" in text
    assert text.count("<mark>太忻</mark>") > 5 and "<mark>疫情</mark>" not in text
    assert '<a href="/search?q=%E5%A4%AA%E5%BF%BB+-%E7%96%AB%E6%83%85">← 返回“太忻 -疫情”的搜索结果</a>' in text


def test_article_page_lists_the_neighbours_of_its_dump_marking_itself(client, searcher):
    article = searcher.article(PHOTO)
    text = page(client, f"/article/{PHOTO}?q=太钢")
    neighbours = re.search(r'<nav class="neighbours".*?</nav>', text, re.S).group(0)
    assert f'<strong aria-current="page">{PHOTO_LABEL}</strong>' in neighbours
    linked = re.findall(r'<a href="/article/([^"?]+)\?q=%E5%A4%AA%E9%92%A2">', neighbours)
    assert linked == [n["id"] for n in searcher.neighbours(article) if n["id"] != PHOTO]
    assert f"<title>{PHOTO_LABEL} · 地方报纸全文检索</title>" in text


def test_unknown_article_is_a_404(client):
    text = page(client, "/article/0000000000-01", status=404)
    assert "找不到编号为“0000000000-01”的文章。" in text


@pytest.mark.parametrize("url", [
    "/article/../../etc/passwd", "/article/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/article/..%2F..%2Fetc%2Fpasswd",
    "/article/..", "/article/%2e%2e", "/article/dump:000_ac6bb446a57d0c7e.txt", "/article/meta:index",
    "/api/article/../../etc/passwd", "/api/article/%2e%2e%2fsetup.py", "/api/article/..",
])
def test_path_like_article_ids_are_a_404_and_read_no_file(client, monkeypatch, url):
    opened = []
    real_open, real_os_open = builtins.open, os.open
    monkeypatch.setattr(builtins, "open", lambda path, *a, **k: opened.append(path) or real_open(path, *a, **k))
    monkeypatch.setattr(os, "open", lambda path, *a, **k: opened.append(path) or real_os_open(path, *a, **k))
    response = client.get(url)
    assert response.status_code == 404
    assert "root:" not in response.get_data(as_text=True)
    assert not [p for p in opened if "passwd" in str(p) or "setup.py" in str(p)]


# -- escaping -----------------------------------------------------------------------------------

def test_markup_in_articles_is_escaped_in_results(client):
    text = page(client, "/search?q=标题")
    assert total(text) == 2
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;“引号”<mark>标题</mark>" in text
    assert "&lt;img src=x onerror=alert(1)&gt; 图片<mark>标题</mark>" in text


def test_markup_in_articles_is_escaped_on_the_article_page(client, searcher):
    hit = searcher.search("双引号").hits[0]
    text = page(client, f"/article/{hit.id}?q=单引号")
    assert "<script" not in text and "<img" not in text
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;“引号”标题 · 地方报纸全文检索</title>" in text
    assert "和 &lt;img src=x onerror=alert(1)&gt; 的文字，还有&quot;双引号&quot;和&#x27;<mark>单引号</mark>&#x27;。" in text


@pytest.mark.parametrize("q", ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' onfocus='alert(1)"])
def test_the_query_is_escaped_wherever_it_is_echoed(client, q):
    for url in ("/search?", "/search?sort=bogus&", f"/article/{TAIXIN}?"):
        text = client.get(url + urlencode({"q": q})).get_data(as_text=True)
        assert "<script" not in text and "<img" not in text and "onfocus='" not in text
        assert html.escape(q) in text.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def test_markup_in_json_is_escaped_and_the_data_unchanged(client, searcher):
    response = client.get("/api/search?q=标题")
    assert b"<" not in response.data and b">" not in response.data and b"&" not in response.data
    assert response.get_json() == results_json(searcher.search("标题"))
    assert response.get_json()["hits"][0]["title"].startswith("<")
    assert response.mimetype == "application/json" and response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.fixture(scope="module")
def bidi_client(tmp_path_factory):
    dumps = tmp_path_factory.mktemp("bidi-dumps")
    add_dump(dumps, "2022-09-06_taiyuan_p01.txt", BIDI_DUMP)
    folder = tmp_path_factory.mktemp("bidi-ix") / "index"
    build_index(folder, dumps)
    return create_app(str(folder), {"TESTING": True, "DUMPS_DIR": str(folder / "none")}).test_client()


def test_a_phrase_spanning_bidi_controls_is_found_and_marked_around_them(bidi_client):
    answer = bidi_client.get("/api/search?" + urlencode({"q": '"太忻一体化经济区"'})).get_json()
    assert answer["total"] == 1
    assert answer["hits"][0]["title"] == "太忻一体\u202e化经济区建设提速"              # the data as printed
    assert answer["hits"][0]["snippet"] == ("9月5日，<mark>太忻\u2066一体化\u2069经济区</mark>\u200e建设推进会在太原举行，"
                                             "会议要求加快推进太忻一\u200f体化发展。")
    query = bidi_client.get("/api/search?" + urlencode({"q": "一\u202e体化发展"})).get_json()   # in the query too
    assert query["total"] == 1 and "<mark>一\u200f体化发展</mark>" in query["hits"][0]["snippet"]


def test_bidi_controls_never_reach_a_page_or_the_raw_json(bidi_client):
    """An RLO shown as is reverses the rest of its line: pages drop every invisible control,
    JSON writes them as \\u escapes (the same data)."""
    article = "/article/" + bidi_client.get("/api/search?q=").get_json()["hits"][0]["id"]
    for url in ("/", "/search?q=", "/search?" + urlencode({"q": '"太忻一体化经济区"'}), article,
                article + "?" + urlencode({"q": "太忻\u202e一体化"}), "/search?" + urlencode({"q": "太忻\u202e"})):
        text = page(bidi_client, url)
        assert not re.search("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]", text), url
    text = page(bidi_client, "/search?" + urlencode({"q": '"太忻一体化经济区"'}))
    assert "<mark>太忻一体化经济区</mark>建设提速" in text
    assert "9月5日，<mark>太忻一体化经济区</mark>建设推进会在太原举行" in text
    text = page(bidi_client, article)
    assert "<title>太忻一体化经济区建设提速 · 地方报纸全文检索</title>" in text
    for url in ("/api/search?q=", article.replace("/article/", "/api/article/")):
        data = bidi_client.get(url).data
        assert not re.search("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]", data.decode()), url
        assert b"\\u202e" in data


# -- JSON api and health -------------------------------------------------------------------------

@pytest.mark.parametrize("query,kwargs", [
    ("q=太忻", dict(q="太忻")),
    ("q=", dict(q="")),
    ("q=太原&city=晋中&sort=date", dict(q="太原", cities=["晋中"], sort="date")),
    ("q=&topic=经济&page=2", dict(q="", topics=["经济"], page=2)),
    ("q=&year=2022&month=4", dict(q="", date_from="2022-04-01", date_to="2022-04-30")),
    ("q=\"推动先进要素集聚\" OR 雄安&from=2022-01-01&to=2022-12-31",
     dict(q="\"推动先进要素集聚\" OR 雄安", date_from="2022-01-01", date_to="2022-12-31")),
])
def test_api_search_is_exactly_the_library_json(client, searcher, query, kwargs):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 200
    assert response.get_json() == results_json(searcher.search(**kwargs))


def test_api_article_is_the_stored_article(client, searcher):
    response = client.get(f"/api/article/{TAIXIN}")
    assert response.status_code == 200 and response.get_json() == article_json(searcher.article(TAIXIN))
    assert response.get_json()["citation"] == (
        "陈俊琦. 全省开发区2022年第三次“三个一批”活动暨太忻一体化经济区建设推进会举行[N]. 2022-09-05.")


def test_api_unknown_article_is_a_json_404(client):
    response = client.get("/api/article/nope")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_found", "parameter": None, "message": "找不到编号为“nope”的文章。"}
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_found", "parameter": None, "message": "这个地址没有页面，或文章已不在索引中。"}


def test_healthz_reports_articles_and_generation(client, searcher):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "articles": ARTICLES, "dumps": 6, "generation": searcher.generation}


# -- the page as a whole -------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/search?q=太忻&year=2022", "/search?q=zzz", f"/article/{TAIXIN}?q=太忻",
                                 "/search?sort=bogus"])
def test_pages_are_chinese_accessible_and_load_nothing_from_elsewhere(client, url):
    response = client.get(url)
    text = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in text and '<meta name="viewport"' in text
    assert "<main" in text and "<header" in text and "<footer" in text and "<h1" in text
    for field_id in re.findall(r'<input (?![^>]*type="hidden")[^>]*\bid="([^"]+)"', text):
        assert f'<label for="{field_id}">' in text, field_id
    assert len(re.findall(r'<input (?![^>]*type="hidden")', text)) == len(re.findall(r'<label for=', text))
    assert all(target.startswith(("/", "#")) for target in re.findall(r'(?:href|src|action)="([^"]*)"', text))
    assert "<script" not in text
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_stylesheet_names_the_cjk_fonts_and_loads_nothing(client):
    css = page(client, "/static/style.css")
    assert ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",\n'
            '               "WenQuanYi Micro Hei", sans-serif') in css
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


# -- the index: missing, built at startup, updated while running ---------------------------------

def test_without_index_or_dumps_every_page_says_how_to_build_one(tmp_path):
    missing = str(tmp_path / "index")
    app = create_app(missing, {"TESTING": True, "DUMPS_DIR": str(tmp_path / "dumps")})
    client = app.test_client()
    command = f"search-index update {tmp_path / 'dumps'} --index {missing}"
    for url in ("/", "/search?q=太忻", f"/article/{TAIXIN}"):
        text = page(client, url, status=503)
        assert f"{missing} 里还没有索引。" in text and f"<pre><code>{command}</code></pre>" in text
    for url in ("/api/search?q=太忻", "/healthz"):
        response = client.get(url)
        assert response.status_code == 503
        assert response.get_json() == {"error": "no_index", "parameter": None,
                                       "message": f"还没有索引：运行 {command} 构建索引，然后刷新本页。"}
    build_index(missing)
    assert total(page(client, "/search?q=")) == 35


def test_an_unreadable_index_is_a_503_naming_it(seed_index, tmp_path):
    folder = tmp_path / "ix"
    shutil.copytree(seed_index, folder)
    for toc in folder.glob("*.toc"):
        toc.write_bytes(b"garbage, not a table of contents")
    client = create_app(str(folder), {"TESTING": True, "DUMPS_DIR": str(tmp_path / "dumps")}).test_client()
    text = page(client, "/search?q=太忻", status=503)
    assert "索引无法读取" in text and f"索引无法读取：{folder}（IndexError: " in text
    response = client.get("/api/search?q=太忻")
    assert response.status_code == 503 and response.get_json()["error"] == "index_unreadable"
    assert response.get_json()["message"].startswith(f"索引无法读取：{folder}（")


def test_an_index_is_built_at_startup_from_the_dumps_folder(tmp_path, monkeypatch):
    dumps = copy_seeds(tmp_path / "dumps", prefixes={"000"})
    monkeypatch.setenv("NEWS_INDEX_DIR", str(tmp_path / "index"))      # the default location, not one named
    app = create_app(None, {"TESTING": True, "DUMPS_DIR": dumps})
    assert index.exists(str(tmp_path / "index"))
    assert "已收录 <strong>6</strong> 篇文章" in page(app.test_client(), "/")


def test_new_dumps_show_on_the_next_request_after_an_update(tmp_path):
    dumps = copy_seeds(tmp_path / "dumps", prefixes={"000", "001"})
    folder = str(tmp_path / "index")
    build_index(folder, dumps)
    client = create_app(folder, {"TESTING": True}).test_client()
    assert total(page(client, "/search?q=")) == 17
    assert total(page(client, "/search?q=晋祠博物馆")) == 0
    generation = client.get("/healthz").get_json()["generation"]

    add_dump(dumps, "2022-09-06_taiyuan_p05.txt", NEW_DUMP)
    index.update(dumps, folder, workers=1)
    assert total(page(client, "/search?q=")) == 18
    assert "<mark>晋祠博物馆</mark>推出夜游项目" in page(client, "/search?q=晋祠博物馆")
    assert client.get("/healthz").get_json()["generation"] > generation


# -- serving ------------------------------------------------------------------------------------

class FakeServer:
    """What waitress.create_server returns, recording the app and options, running nothing."""

    def __init__(self, served, app, **options):
        served.update(app=app, ran=False, **options)
        self.served = served

    def run(self):
        self.served["ran"] = True


def test_search_web_serves_on_localhost_with_waitress(index_dir, monkeypatch):
    served = {}
    monkeypatch.setattr("waitress.create_server", lambda app, **kw: FakeServer(served, app, **kw))
    result = CliRunner().invoke(serve, ["--index", index_dir])
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"], served["ran"]) == ("127.0.0.1", 8000, True)
    assert served["app"].test_client().get("/healthz").get_json()["articles"] == ARTICLES
    assert f"serving {index_dir} on http://127.0.0.1:8000/" in result.output


def test_search_web_says_when_the_port_is_taken_and_never_that_it_serves(index_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(serve, ["--index", index_dir, "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"Error: cannot listen on 127.0.0.1:{port}: Address already in use; "
                                          "try another --port"]


def test_flask_run_finds_the_app_factory(index_dir, monkeypatch):
    from flask.cli import ScriptInfo
    monkeypatch.setenv("NEWS_INDEX_DIR", index_dir)
    app = ScriptInfo(app_import_path="web").load_app()
    assert app.test_client().get("/healthz").get_json()["articles"] == ARTICLES


# -- review fixes: state carried to articles, undated items, conflicting dates, 405 ----------

def test_an_article_opened_from_a_filtered_page_links_back_to_that_page(client):
    results = page(client, "/search?q=&city=太原&sort=date&page=2")
    first = re.search(r'<h3><a href="(/article/[^"]+)">', results).group(1)
    assert args_of(html.unescape(first)) == [("q", ""), ("city", "太原"), ("sort", "date"), ("page", "2")]
    article = page(client, html.unescape(first))
    back = re.search(r'<p class="back"><a href="([^"]+)">← 返回搜索结果</a>', article).group(1)
    assert args_of(html.unescape(back)) == [("q", ""), ("city", "太原"), ("sort", "date"), ("page", "2")]
    neighbour = re.search(r'<nav class="neighbours".*?<a href="([^"]+)">', article, re.S).group(1)
    assert args_of(html.unescape(neighbour)) == [("q", ""), ("city", "太原"), ("sort", "date"), ("page", "2")]


def test_an_article_opened_from_filters_alone_links_back_to_them(client):
    article = page(client, f"/article/{TAIXIN}?q=&topic=经济")
    assert '<a href="/search?q=&amp;topic=%E7%BB%8F%E6%B5%8E">← 返回搜索结果</a>' in article


def test_undated_items_say_so_instead_of_printing_none(tmp_path):
    dumps = tmp_path / "dumps"
    add_dump(dumps, "undated.txt", "通知\n\n各单位：请于下周一上午九点到市教育局参加会议，不得缺席。\n\n市教育局办公室\n")
    build_index(tmp_path / "index", dumps)
    client = create_app(str(tmp_path / "index"), {"TESTING": True}).test_client()
    for text in (page(client, "/"), page(client, "/search?q=会议")):
        assert "无日期" in text
        assert "None" not in text and 'datetime=""' not in text
    assert "最新日期" not in page(client, "/")


def test_a_year_outside_the_chosen_dates_names_the_year_and_drops_it_with_its_month(client):
    text = page(client, "/search?q=&year=2022&month=4&to=2021-12-31", status=400)
    assert "2022-04 不在所选日期范围（… 至 2021-12-31）之内。" in text
    corrected = html.unescape(re.search(r'<a href="([^"]+)">去掉“年份”后重新搜索</a>', text).group(1))
    assert args_of(corrected) == [("q", ""), ("to", "2021-12-31")]
    page(client, corrected)


def test_a_405_says_so_in_chinese_and_which_methods_are_allowed(client):
    response = client.post("/search", data={"q": "太忻"})
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET"}
    assert "这个地址只接受 GET 请求。" in response.get_data(as_text=True)


def test_no_results_without_filters_offers_no_duplicate_links(client):
    text = page(client, "/search?q=没有这样的词语组合吧")
    links = re.findall(r'<div class="empty-results">.*?</ul>', text, re.S)[0]
    urls = re.findall(r'<a href="([^"]+)"', links)
    assert len(urls) == len(set(urls)) == 1


# -- redirects: relative, or under --base-url; never from the Host header -------------------------

def raw_get(app, path, query="", host="evil.example"):
    """(status, Location) of a GET whose request line holds `path` as is (a test client
    would read a leading `//static` as a host name), with a hostile Host header."""
    environ = EnvironBuilder(path="/", headers={"Host": host}).get_environ()
    environ.update(PATH_INFO=path, QUERY_STRING=query)
    answer = {}
    b"".join(app(environ, lambda status, headers, exc_info=None: answer.update(status=int(status[:3]),
                                                                                headers=dict(headers))))
    return answer["status"], answer["headers"].get("Location")


REDIRECTED = [("//static//style.css", "", "/static/style.css"), ("/static//style.css", "", "/static/style.css"),
              ("//static///favicon.svg", "v=1&q=%E5%A4%AA", "/static/favicon.svg?v=1&q=%E5%A4%AA")]


def test_merged_slashes_redirect_to_a_relative_location_whatever_the_host_header(app, client):
    for path, query, location in REDIRECTED:
        assert raw_get(app, path, query) == (308, location), path
        assert client.get(location).status_code == 200
    assert raw_get(app, "//evil.example//x") == (404, None)


def test_with_a_base_url_redirects_are_absolute_under_it(index_dir):
    app = create_app(index_dir, {"TESTING": True, "BASE_URL": "https://news.example.org/archive/"})
    for path, query, location in REDIRECTED:
        assert raw_get(app, path, query) == (308, "https://news.example.org/archive" + location), path


@pytest.mark.parametrize("url", ["news.example.org", "ftp://news.example.org", "https://", "https://x.org/?a=1",
                                 "https://x.org/#top", "https://user:pw@x.org", "http://x.org:port"])
def test_search_web_refuses_a_base_url_that_is_not_an_address_of_the_site(index_dir, url):
    result = CliRunner().invoke(serve, ["--index", index_dir, "--base-url", url])
    assert (result.exit_code, result.output) == (1, f"Error: base-url: {url!r} is not the http(s) address of this "
                                                    "site (like https://news.example.org or http://10.0.0.5:8000/archive)\n")


def test_search_web_serves_with_a_base_url(index_dir, monkeypatch):
    served = {}
    monkeypatch.setattr("waitress.create_server", lambda app, **kw: FakeServer(served, app, **kw))
    result = CliRunner().invoke(serve, ["--index", index_dir, "--base-url", "http://10.0.0.5:8000/"])
    assert result.exit_code == 0, result.output
    assert raw_get(served["app"], "/static//style.css") == (308, "http://10.0.0.5:8000/static/style.css")


# -- the reporter's workflow: limits, empty results, downloads ------------------------------------

def test_api_search_takes_a_limit_and_says_how_many_pages(client, searcher):
    data = client.get("/api/search?q=&limit=3&page=2").get_json()
    assert data == results_json(searcher.search("", per_page=3, page=2))
    assert (data["limit"], data["pages"], len(data["hits"])) == (3, 13, 3)
    assert client.get("/api/search?q=").get_json()["limit"] == 10


def test_no_sort_bar_and_no_downloads_without_results(client):
    text = page(client, "/search?q=没有这样的词语组合吧")
    assert 'class="sort"' not in text and "/export." not in text and total(text) == 0
    text = page(client, "/search?q=太忻")
    assert 'class="sort"' in text and '<a href="/export.jsonl?q=%E5%A4%AA%E5%BF%BB" download>JSON Lines</a>' in text


def test_a_search_that_finds_nothing_links_its_suggestions(client):
    text = page(client, "/search?q=太新&city=太原")
    assert '<p class="suggestions">你是不是要找：<a href="/search?q=%E5%A4%AA%E5%BF%BB&amp;city=%E5%A4%AA%E5%8E%9F">太忻</a></p>' in text
    api = client.get("/api/search?q=太新").get_json()
    assert api["suggestions"] == ["太忻"] and api["total"] == 0


def test_aliases_are_named_with_a_link_that_leaves_them_out(client):
    text = page(client, "/search?q=太原钢铁")
    assert total(text) == 3
    assert '同时搜索了别名：太原钢铁 → <mark class="alias">太钢</mark>。' in text
    assert '<a href="/search?q=%E5%A4%AA%E5%8E%9F%E9%92%A2%E9%93%81&amp;aliases=off">只搜原词，不用别名</a>' in text
    assert '<mark class="alias" title="别名">太钢</mark>' in text
    plain = page(client, "/search?q=太原钢铁&aliases=off")
    assert total(plain) == 1 and "加上别名再搜" in plain
    assert client.get("/api/search?q=太原钢铁&aliases=off").get_json()["total"] == 1
