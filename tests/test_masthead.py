"""search/ingest/masthead.py: the paper and page named by mastheads, page lines and file names."""
import datetime

import pytest

from search.ingest import masthead


@pytest.mark.parametrize("line, expected", [
    ("太原日报 2022年9月6日 星期二", {"paper": "太原日报", "date": datetime.date(2022, 9, 6), "page": None}),
    ("人民日报 2019年10月1日 星期二 第4版", {"paper": "人民日报", "date": datetime.date(2019, 10, 1), "page": "4"}),
    ("人民日报海外版 2019年10月1日", {"paper": "人民日报海外版", "date": datetime.date(2019, 10, 1), "page": None}),
    ("第2版", {"paper": None, "date": None, "page": "2"}),
    ("第02版：要闻", {"paper": None, "date": None, "page": "2"}),
    ("A3版", {"paper": None, "date": None, "page": "A3"}),
    ("太原日报", {"paper": "太原日报", "date": None, "page": None}),      # a paper of sources.tsv
])
def test_mastheads_and_page_lines(line, expected):
    assert masthead.read(line) == expected


@pytest.mark.parametrize("line", ["我市召开日报", "人民日报评论员文章", "共赢发展 精彩纷呈（钟声）",
                                  "2022年9月6日 星期二", "第二版的故事很精彩"])
def test_headlines_and_dates_are_not_mastheads(line):
    assert masthead.read(line) is None


@pytest.mark.parametrize("name, page", [
    ("rmrb_20191001_p04.txt", "4"), ("2022-09-06_taiyuan_p02.txt", "2"), ("page2.txt", "2"),
    ("2022-09-06_D2版.txt", "D2"), ("第2版.txt", "2"), ("x_P3.md", "3"),
    ("000_ac6bb446a57d0c7e.txt", None), ("2021-01-10_tv_p00001.txt", None),
])
def test_the_page_of_a_file_name(name, page):
    assert masthead.page_of_filename(name) == page
