"""Hostile queries: whatever is typed or put in a URL, an answer (results, or a 400 naming the
bad parameter), never a traceback or a 500, and never a runaway (how long answers take is
measured by `python -m bench.hostile`, not here: a test does not depend on the machine).

Generated queries mix the query language's own syntax in odd places, Whoosh/Lucene syntax the
language does not have, unbalanced quotes and brackets, unknown fields, control characters,
emoji, several scripts, and 10,000-character strings. They go to the library
(`Searcher.search`), to the `search` command (in-process with click's runner, and a handful
as real processes) and to `/api/search` and `/search` (Flask's test client), with odd
parameters: junk values, repeated parameters, huge page numbers.

Parameters are drawn either from the valid ones or from junk, and the test knows which: a
SearchError (CLI exit 2, HTTP 400) is allowed only when it names a parameter that was junk
(or a `city:`/`topic:`/`kind:` filter written in the query).
"""
import html
import json
import re
import time
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings, strategies as st

from commands import invoke, process
from search.cli import search_cmd
from search.errors import SearchError
from search import formatting
from search.ingest.places import CITIES
from search.searching import MAX_PER_PAGE, Searcher
from search.ingest.topics import TOPICS
from web import create_app

# A runaway query (one that takes seconds where others take milliseconds) fails the test;
# the bound is a thousand times an answer's usual time, so that load never does.
SECONDS = 15.0
ARTICLES = 35                # in the seed dumps

SYNTAX = list('"()*:-+^~?[]{}!\\/') + ["AND", "OR", "NOT", "and", "or", "not", "&&", "||", "TO", "*:*", "\"\"", "()",
                                        ")(", "((", "))", "\"(", "-\"", "-(", "NOT(", "OR)", "^2", "~1", "[* TO *]"]
FIELDS = ["title:", "author:", "place:", "city:", "topic:", "kind:", "foo:bar", "foo:", "TITLE:", "title:\"", "body:",
          "id:", "source:", "dump:", "title:*", "city:太原", "city:北京", "topic:经济", "topic:体育", "kind:photo", "kind:x"]
WORDS = ["太忻", "一体化", "太原", "忻州", "经济区", "老旧小区改造", "推动先进要素集聚", "综改*", "太*", "的", "中來", "經濟", "臺灣",
         "晋祠", "陈剑", "2022", "９月", "ｔａｉ", "Shanxi", "e\u0301", "Привет", "мир", "مرحبا", "שלום", "नमस्ते", "🎉",
         "👨‍👩‍👧", "🇨🇳", "\u200b", "\ufeff", "\u202e", "\x00", "\x01", "\x1b[31m", "\x7f", "\r\n", "\t", "\u3000",
         "%00", "%2e%2e%2f", "../", "<script>alert(1)</script>", "&amp;", "'", "“", "”", "\ud7ff", "\U0010ffff"]
SEPARATORS = ["", " ", "  ", "\u3000", "\t", "\n"]

token = st.one_of(st.sampled_from(SYNTAX), st.sampled_from(FIELDS), st.sampled_from(WORDS),
                  st.text(st.characters(blacklist_categories=("Cs",)), max_size=6))
composed = st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), max_size=25).map(
    lambda parts: "".join(t + s for t, s in parts))
repeated = st.builds(lambda tok, n: (tok * n)[:10_000], st.sampled_from(SYNTAX + FIELDS + WORDS + ["太忻 ", "( ", "-"]),
                     st.integers(1, 10_000))
queries = st.one_of(composed, composed, repeated, st.text(max_size=300),
                    st.sampled_from(["", "*", " ", "**", "\"", "(", ")", "-", "NOT", "OR", "AND", ":", "*:*",
                                     "太" * 10_000, "太忻 " * 2500, "a* " * 3333]))

junk = st.one_of(st.text(max_size=30), st.sampled_from(
    ["", " ", "0", "-1", "1e9", "abc", "NaN", "None", "null", "%00", "\x00", "9" * 40, "2022-13-45", "2022-02-30",
     "0000", "99999-01-01", "太原市市", "北京", "经济 ", "<script>", "../../etc/passwd", "1; DROP TABLE"]))
valid_city = st.sampled_from(list(CITIES) + [c + "市" for c in CITIES] + [" 太原 ", ""])
valid_topic = st.sampled_from(list(TOPICS) + [""])
valid_date = st.sampled_from(["2022-09-05", "2022-09", "2022", "2019-02-10", "2010-01-01", "2025-12-31", " 2022 "])
valid_sort = st.sampled_from(["relevance", "date"])
valid_page = st.one_of(st.integers(1, 100_000), st.sampled_from([1, 2, 100_000]))
junk_page = st.one_of(st.integers(-10, 0), st.integers(100_001, 10 ** 30), junk)


def maybe_junk(valid, junk=junk):
    """(value, is junk): junk one time in five, else a valid value; so that many examples are
    valid throughout and the query text itself is tested with every filter."""
    return st.sampled_from((False,) * 4 + (True,)).flatmap(
        lambda is_junk: junk.map(lambda v: (v, True)) if is_junk else valid.map(lambda v: (v, False)))


@pytest.fixture(scope="module")
def searcher(seed_index):
    with Searcher(seed_index) as s:
        yield s


@pytest.fixture(scope="module")
def client(seed_index, tmp_path_factory):
    app = create_app(seed_index, {"DUMPS_DIR": str(tmp_path_factory.mktemp("none") / "x")})   # not TESTING: errors are handled
    return app.test_client()


def inline_filters(q):
    """Filter fields written in the query (`city:北京`): their values are checked like parameters."""
    return {f for f in ("city", "topic", "kind", "paper", "section") if re.search(rf"(?i){f}:", q)}


def check_error(message, allowed):
    assert "\n" not in message and "Traceback" not in message
    name = message.partition(":")[0]
    assert name in allowed, f"error {message!r} names no junk parameter (junk: {sorted(allowed)})"


def check_results(r, page, per_page):
    assert r.total >= 0 and r.page == page
    per_page = min(per_page, MAX_PER_PAGE)
    expected_hits = max(0, min(per_page, r.total - (page - 1) * per_page))
    assert len(r.hits) == expected_hits, (r.total, page, per_page, len(r.hits))
    assert len({h.id for h in r.hits}) == len(r.hits)
    for h in r.hits:
        for markup in (formatting.html(h.snippet), formatting.html(h.marked_title)):
            assert "<" not in re.sub(r"</?mark>", "", markup), markup
    for name, counts in r.facets.items():
        assert all(0 < n <= r.total for n in counts.values()), (name, counts)


# -- the library --------------------------------------------------------------------------

@settings(suppress_health_check=list(HealthCheck))
@given(q=queries)
@example(q="NOT " * 2500)
@example(q="title:" * 2000)
def test_library_answers_any_query_text(searcher, q):
    started = time.perf_counter()
    try:
        r = searcher.search(q)
    except SearchError as e:
        check_error(str(e), inline_filters(q[:1000]))
    else:
        check_results(r, 1, 10)
        if not q.strip():
            assert r.total == ARTICLES
    assert time.perf_counter() - started < SECONDS


@settings(suppress_health_check=list(HealthCheck))
@given(q=queries, cities=st.lists(maybe_junk(valid_city), max_size=3), topics=st.lists(maybe_junk(valid_topic), max_size=2),
       date_from=st.one_of(st.none().map(lambda v: (v, False)), maybe_junk(valid_date)),
       date_to=st.one_of(st.none().map(lambda v: (v, False)), maybe_junk(valid_date)),
       sort=maybe_junk(valid_sort), page=maybe_junk(valid_page, junk_page),
       per_page=maybe_junk(st.integers(1, MAX_PER_PAGE), st.one_of(st.integers(-3, 0), st.integers(101, 500))))
def test_library_answers_any_parameters(searcher, q, cities, topics, date_from, date_to, sort, page, per_page):
    allowed = inline_filters(q[:1000])
    allowed |= {"city"} if any(j for _, j in cities) else set()
    allowed |= {"topic"} if any(j for _, j in topics) else set()
    for name, (value, is_junk) in (("from", date_from), ("to", date_to), ("sort", sort), ("page", page),
                                   ("limit", per_page)):
        if is_junk:
            allowed.add(name)
    if date_from[0] and date_to[0]:
        allowed.add("from")                 # valid dates in the wrong order
    started = time.perf_counter()
    event("junk: " + " ".join(sorted(allowed)) if allowed else "all valid")
    try:
        r = searcher.search(q, cities=[c for c, _ in cities], topics=[t for t, _ in topics], date_from=date_from[0],
                            date_to=date_to[0], sort=sort[0], page=page[0], per_page=per_page[0])
    except SearchError as e:
        check_error(str(e), allowed)
    else:
        check_results(r, int(page[0]), int(per_page[0]))
    assert time.perf_counter() - started < SECONDS


# -- the search command, in process ---------------------------------------------------------

@settings(suppress_health_check=list(HealthCheck))
@given(q=queries, city=st.lists(maybe_junk(valid_city), max_size=2), topic=st.lists(maybe_junk(valid_topic), max_size=1),
       sort=st.one_of(st.none().map(lambda v: (v, False)), maybe_junk(valid_sort)),
       page=st.one_of(st.none().map(lambda v: (v, False)), maybe_junk(valid_page, junk_page)),
       as_json=st.booleans())
def test_search_command_answers_any_query(seed_index, q, city, topic, sort, page, as_json):
    args = ["--index", seed_index]
    args += [a for c, _ in city for a in ("--city", c)] + [a for t, _ in topic for a in ("--topic", t)]
    if sort[0] is not None:
        args += ["--sort", sort[0]]
    if page[0] is not None:
        args += ["--page", str(page[0])]
    if as_json:
        args.append("--json")
    args += ["--", *q.split(" ")]
    started = time.perf_counter()
    result = CliRunner().invoke(search_cmd, args)
    assert time.perf_counter() - started < SECONDS
    event(f"exit {result.exit_code}")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    junk_options = ({"sort"} if sort[1] else set()) | ({"page"} if page[1] else set())
    assert "Usage:" not in result.stderr
    allowed = inline_filters(q[:1000]) | ({"city"} if any(j for _, j in city) else set()) \
        | ({"topic"} if any(j for _, j in topic) else set()) | junk_options
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        check_error(lines[0][len("error: "):], allowed)
        return
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    if as_json:
        answer = json.loads(result.stdout)
        assert (len(answer["hits"]) > 0) == (result.exit_code == 0)     # a page past the end has none
        assert set(answer) == {"query", "total", "page", "pages", "limit", "hits", "facets", "partial", "aliases", "suggestions"}


HOSTILE_QUERIES = ['"太忻', "(太原 OR", "title:", "foo:bar 太忻", "*", "综* OR 太*", "太忻\x1b[31m", "🎉 Привет مرحبا 中來",
                   "AND OR NOT", ")))(((", "(" * 300, "太忻 " * 2500]
AS_PROCESSES = ['"太忻', "太忻\x1b[31m", "🎉 Привет مرحبا 中來", "太忻 " * 2500]     # a handful end to end


def check_search_answer(q, exit_code, stdout, stderr, seconds, limit):
    assert "Traceback" not in stderr, (q[:40], stderr[-2000:])
    assert exit_code in (0, 1), (q[:40], exit_code, stderr)
    assert json.loads(stdout)["query"] == q[:1000]
    assert seconds < limit, f"{q[:40]!r}: {seconds:.1f} s"


def test_search_command_answers_hostile_queries(seed_index):
    for q in HOSTILE_QUERIES:
        started = time.perf_counter()
        r = invoke("search", "--json", "--index", seed_index, "--", q)
        check_search_answer(q, r.returncode, r.stdout, r.stderr, time.perf_counter() - started, SECONDS)


def test_search_command_as_a_process_answers_hostile_queries(seed_index):
    for q in AS_PROCESSES:
        started = time.perf_counter()
        r = process("search", "--json", "--index", seed_index, "--", q, timeout=60)
        check_search_answer(q, r.returncode, r.stdout, r.stderr, time.perf_counter() - started, SECONDS + 3)   # startup too


# -- the web app ---------------------------------------------------------------------------------

def web_params():
    """(list of (name, value) with repeats, names of the junk ones)."""
    def build(q, cities, topics, year, month, date_from, date_to, sort, page, extra, repeat):
        triples = [("q", q, False)]
        for name, values in (("city", cities), ("topic", topics)):
            triples += [(name, value, is_junk) for value, is_junk in values]
        for name, drawn in (("year", year), ("month", month), ("from", date_from), ("to", date_to), ("sort", sort),
                            ("page", page)):
            if drawn is not None:
                triples += [(name, str(value), is_junk) for value, is_junk in (drawn if isinstance(drawn, list) else [drawn])]
        triples += [(name, value, False) for name, value in extra]      # parameters the app does not read
        if repeat and len(triples) > 1:
            triples.insert(0, triples[-1])
        junk_names = {name for name, _, is_junk in triples if is_junk and name in ("city", "topic")}
        for name in ("year", "month", "from", "to", "sort", "page"):
            first = next((is_junk for n, _, is_junk in triples if n == name), False)    # the first value counts
            junk_names |= {name} if first else set()
        return [(name, value) for name, value, _ in triples], junk_names

    valid_year = st.sampled_from(["2022", "2019", "2010", "2025"])
    valid_month = st.sampled_from(["1", "4", "09", "12"])
    optional = lambda s: st.one_of(st.none(), st.none(), st.none(), s, st.lists(s, min_size=2, max_size=3))
    return st.builds(
        build, queries, st.lists(maybe_junk(valid_city), max_size=3), st.lists(maybe_junk(valid_topic), max_size=2),
        optional(maybe_junk(valid_year)), optional(maybe_junk(valid_month)), optional(maybe_junk(valid_date)),
        optional(maybe_junk(valid_date)), optional(maybe_junk(valid_sort)),
        optional(maybe_junk(valid_page, junk_page)),
        st.lists(st.tuples(st.sampled_from(["per_page", "limit", "foo", "q[]", "", "kind", "index", "__proto__"]),
                           junk), max_size=2),
        st.booleans())


def web_allowed(pairs, junk_names):
    allowed = set(junk_names) | inline_filters(next(v for k, v in pairs if k == "q")[:1000])
    names = {k for k, _ in pairs}
    if "month" in names:
        allowed.add("month")               # a month needs a year
    if len(names & {"from", "to"}) == 2:
        allowed.add("from")                # valid dates that exclude each other
    if "year" in names and names & {"from", "to"}:
        allowed.add("year")                # a year outside the dates chosen
    allowed |= names & {"kind", "limit"}      # parameters the API reads among the extra ones, junk there
    if "q" in names and [k for k, _ in pairs].count("q") > 1:
        allowed |= inline_filters(" ".join(v for k, v in pairs if k == "q"))
    return allowed


@settings(suppress_health_check=list(HealthCheck))
@given(params=web_params())
@example(params=([("q", "太忻"), ("page", str(10 ** 30))], {"page"}))
def test_api_search_answers_any_parameters(client, params):
    pairs, junk_names = params
    started = time.perf_counter()
    response = client.get("/api/search?" + urlencode(pairs))
    assert time.perf_counter() - started < SECONDS
    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 400), (response.status_code, response.data[:300])
    answer = json.loads(response.data)
    if response.status_code == 400:
        assert list(answer) == ["error", "parameter", "message"]
        assert answer["parameter"] in web_allowed(pairs, junk_names), (answer, pairs)
    else:
        assert set(answer) == {"query", "total", "page", "pages", "limit", "hits", "facets", "partial", "aliases", "suggestions"}
        assert len(answer["hits"]) <= 10 and answer["total"] >= 0
    assert b"<" not in response.data and b">" not in response.data


@settings(suppress_health_check=list(HealthCheck))
@given(params=web_params())
@example(params=([("q", "太忻"), ("page", "100000"), ("page", "x")], set()))
def test_search_page_answers_any_parameters(client, params):
    pairs, junk_names = params
    started = time.perf_counter()
    response = client.get("/search?" + urlencode(pairs))
    assert time.perf_counter() - started < SECONDS
    event(f"HTTP {response.status_code}")
    text = response.get_data(as_text=True)
    assert response.status_code in (200, 400), (response.status_code, text[:300])
    assert "Traceback" not in text and "<script" not in text
    if response.status_code == 400:
        parameter = re.search(r'<p class="error-message" role="alert" data-parameter="([^"]*)">[^<]*</p>', text)
        assert parameter and parameter.group(1) in web_allowed(pairs, junk_names), (text[:3000], pairs)
    else:
        assert re.search(r'<strong id="total">[\d,]+</strong>', text)


raw_query_strings = st.lists(st.sampled_from(list("q=&%+;#?/.:") + ["%00", "%zz", "%e5%a4", "%2", "太", "忻", "city",
                                                                      "page", "sort", "year", "month", "from", "to"]),
                             max_size=40).map("".join)


@settings(suppress_health_check=list(HealthCheck))
@given(raw=raw_query_strings, path=st.sampled_from(["/api/search", "/search", "/", "/article/f7f6be5d04-ac6655"]))
def test_malformed_query_strings_are_answered(client, raw, path):
    """Broken percent-escapes, bare `&&&`, `%00`: decoded leniently, never an error page but 400."""
    started = time.perf_counter()
    response = client.get(path + "?" + raw)
    assert time.perf_counter() - started < SECONDS
    assert response.status_code in (200, 400), (raw, response.status_code, response.data[:300])
    if path.startswith("/api/"):
        json.loads(response.data)


@pytest.mark.parametrize("q", ["(" * 1000, "-(" * 500, "(太原 " * 200, "NOT (" * 200, '("' * 500])
def test_deeply_nested_queries_are_answered(searcher, client, seed_index, q):
    """Brackets nested hundreds deep (the query is cut at 1,000 characters)."""
    started = time.perf_counter()
    assert searcher.search(q).total >= 0
    assert time.perf_counter() - started < SECONDS
    result = CliRunner().invoke(search_cmd, ["--index", seed_index, "--json", "--", q])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output[-500:]
    for url in ("/api/search?", "/search?"):
        response = client.get(url + urlencode({"q": q}))
        assert response.status_code == 200, (url, response.status_code)


def test_a_filter_with_an_unknown_value_in_the_query_is_plain_text(client, searcher):
    """`city:北京` is not one of the 11 cities: the query is searched as plain words, like an
    unknown field, rather than refused (the web page could offer no working correction)."""
    response = client.get("/search?" + urlencode({"q": "太忻 city:北京"}))
    assert response.status_code == 200
    assert searcher.search("太忻 city:北京").total == searcher.search('太忻 "city:北京"').total == 0
    assert searcher.search("太忻 city:太原").total == searcher.search("太忻", cities=["太原"]).total > 0
