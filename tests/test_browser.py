"""The site in a real headless Chromium (Debian's `chromium`, driven by Playwright).

The app runs under waitress on a free local port over an index of the seed dumps; pages
run with JavaScript off, as nothing needs it. Each scenario saves a screenshot to
tests/artifacts/. Skipped when chromium is not installed (CI installs it: see .ci/run).
"""
import re
import shutil
import threading
from pathlib import Path

import pytest

from search.searching import Searcher
from web import create_app

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no `chromium` on PATH: apt-get install chromium fonts-wqy-microhei to run browser tests")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")
waitress = pytest.importorskip("waitress")
expect = sync_api.expect
# Waits are generous: a loaded CI machine may take seconds to serve a page; no assertion
# here is about speed.
WAIT_MS = 60_000
expect.set_options(timeout=WAIT_MS)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
TAIXIN = "f7f6be5d04-ac6655"


@pytest.fixture(scope="module")
def base_url(seed_index, tmp_path_factory):
    app = create_app(seed_index, {"DUMPS_DIR": str(tmp_path_factory.mktemp("none") / "x")})
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(5)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, base_url):
    """open_page(viewport=DESKTOP) → a page without JavaScript; fails if it loads from elsewhere."""
    contexts, requests = [], []

    def open_(viewport=DESKTOP):
        context = browser.new_context(base_url=base_url, viewport=viewport, java_script_enabled=False,
                                      locale="zh-CN")
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        return page

    yield open_
    for context in contexts:
        context.close()
    assert requests and all(url.startswith(base_url + "/") for url in requests), requests


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def total(page):
    return int(page.locator("#total").inner_text().replace(",", ""))


def test_typing_a_query_and_submitting_shows_marked_results(open_page):
    page = open_page()
    page.goto("/")
    page.get_by_label("搜索报纸文章").fill("太忻")
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/search\?q=%E5%A4%AA%E5%BF%BB$"))
    assert total(page) == 6
    marks = page.locator(".hit mark")
    assert marks.count() >= 6 and set(marks.all_inner_texts()) == {"太忻"}
    assert page.get_by_role("heading", level=1).inner_text() == "“太忻”的搜索结果"
    screenshot(page, "search")


def test_a_facet_value_narrows_the_results_and_its_chip_removes_it(open_page):
    page = open_page()
    page.goto("/search?q=太忻")
    facet = page.locator("#facets a.facet-value", has_text="忻州")
    count = int(facet.locator(".count").inner_text())
    assert count < total(page)
    facet.click()
    expect(page).to_have_url(re.compile(r"&city=%E5%BF%BB%E5%B7%9E$"))
    assert total(page) == count
    chip = page.get_by_role("link", name="城市：忻州 （去掉）", exact=True)   # the × is aria-hidden
    assert page.locator("a.chip").count() == 1 and chip.count() == 1
    assert page.locator("#facets a.facet-value.selected .value").all_inner_texts() == ["忻州"]
    assert page.locator("#facets .facet", has_text="主题").locator(".count").inner_text() == str(count)
    screenshot(page, "facet")

    chip.click()
    expect(page).to_have_url(re.compile(r"/search\?q=%E5%A4%AA%E5%BF%BB$"))
    assert total(page) == 6 and page.locator("a.chip").count() == 0
    screenshot(page, "chip-removed")


def test_a_suggestion_link_searches_what_was_meant_and_aliases_can_be_left_out(open_page):
    page = open_page()
    page.goto("/search?q=太新")
    assert total(page) == 0
    page.locator(".suggestions").get_by_role("link", name="太忻", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search\?q=%E5%A4%AA%E5%BF%BB$"))
    assert total(page) == 6
    page.goto("/search?q=太原钢铁")
    assert total(page) == 3 and page.locator(".hit mark.alias").first.inner_text() == "太钢"
    screenshot(page, "aliases")
    page.get_by_role("link", name="只搜原词，不用别名").click()
    expect(page).to_have_url(re.compile(r"&aliases=off$"))
    assert total(page) == 1 and page.locator(".hit mark.alias").count() == 0


def test_timeline_bars_are_as_tall_as_their_counts(open_page):
    page = open_page()
    page.goto("/search?q=&year=2022")
    bars = page.locator(".bars a")
    counts = [int(label.split("：")[1].split()[0]) for label in
              (bars.nth(k).get_attribute("aria-label") for k in range(bars.count()))]
    heights = [bars.nth(k).locator(".bar").bounding_box()["height"] for k in range(bars.count())]
    assert len(counts) >= 3 and min(counts) < max(counts) / 2, counts
    tallest = max(heights)
    assert tallest > 40
    for count, height in zip(counts, heights):
        assert abs(height / tallest - count / max(counts)) < 0.05, (counts, heights)
    screenshot(page, "timeline")


def test_paging_forward_shows_the_next_articles(open_page, seed_index):
    page = open_page()
    page.goto("/search?q=")
    assert total(page) == 35
    page.get_by_role("link", name="下一页 →").click()
    expect(page).to_have_url(re.compile(r"/search\?q=&page=2$"))
    assert page.locator('nav.pagination [aria-current="page"]').inner_text() == "2"
    assert page.locator("ol.hits").get_attribute("start") == "11"
    links = page.locator(".hit h3 a")
    with Searcher(seed_index) as searcher:
        expected = [f"/article/{hit.id}?q=&page=2" for hit in searcher.search("", page=2).hits]
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == expected   # the way back
    screenshot(page, "page-2")


def test_an_article_opened_from_the_results_has_the_query_words_marked(open_page):
    page = open_page()
    page.goto("/search?q=太忻")
    page.get_by_role("link", name=re.compile("活动暨太忻一体化经济区建设推进会举行")).click()
    expect(page).to_have_url(re.compile(rf"/article/{TAIXIN}\?q=%E5%A4%AA%E5%BF%BB$"))
    assert "太忻" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("article mark").count() >= 6
    assert page.get_by_role("link", name="← 返回“太忻”的搜索结果").count() == 1
    assert page.locator('.neighbours [aria-current="page"]').count() == 1
    screenshot(page, "article")


def test_from_an_article_to_its_day_and_back_oldest_first(open_page):
    page = open_page()
    page.goto(f"/article/{TAIXIN}")
    page.get_by_role("link", name="2022年9月5日的全部文章").click()
    expect(page).to_have_url(re.compile(r"/day/2022-09-05$"))
    assert page.get_by_role("heading", level=1).inner_text() == "2022年9月5日"
    assert page.locator(".print-page li").count() == total(page)
    page.get_by_role("link", name="← 上一期 2022-09-02").click()
    expect(page).to_have_url(re.compile(r"/day/2022-09-02$"))
    screenshot(page, "day")
    page.goto("/search?q=太忻")
    page.get_by_role("link", name="时间（旧→新）").click()
    expect(page).to_have_url(re.compile(r"sort=oldest$"))
    dates = page.locator(".hit .meta time").all_inner_texts()
    assert dates == sorted(dates) and len(dates) == 6


def test_the_results_download_as_csv(open_page):
    page = open_page()
    page.goto("/search?q=太忻")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    data = Path(download.value.path()).read_bytes().decode("utf-8")
    assert data.startswith("\ufeffid,title,date,paper,page,section,") and len(data.splitlines()) == 7


@pytest.mark.parametrize("name,url", [
    ("home", "/"), ("results", "/search?q=太忻&year=2022"), ("empty", "/search?q=雄安&city=大同"),
    ("article", f"/article/{TAIXIN}?q=太忻"), ("error", "/search?q=太忻&sort=bogus"), ("day", "/day/2022-09-05"),
    ("no-day", "/day/2022-09-04"), ("not-found", "/article/0000000000-000000"),
])
def test_a_phone_wide_page_needs_no_horizontal_scrolling(open_page, name, url):
    page = open_page(PHONE)
    page.goto(url)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    facets, results = page.locator("#facets"), page.locator("section.results")
    if facets.count():
        assert facets.bounding_box()["y"] > results.bounding_box()["y"]   # the sidebar goes below
    screenshot(page, f"phone-{name}")
