"""search/dates.py and the date of each item: file name, dateline + inferred year, fallback."""
import datetime

import pytest

from search.ingest import dates
from search.ingest import parse_text
from search.text import fold_width

from builders import by_title, containing

D = datetime.date


# -- the helpers -----------------------------------------------------------------------
@pytest.mark.parametrize("name, date", [
    ("rmrb_20190210_p01.txt", D(2019, 2, 10)),
    ("2022-09-06_taiyuan_p02.txt", D(2022, 9, 6)),
    ("tyrb.2021.12.31.txt", D(2021, 12, 31)),
    ("000_ac6bb446a57d0c7e.txt", None),
    ("page_20221340.txt", None),                   # no month 13
    ("scan_120220906.txt", None),                  # digits run on: not a date
])
def test_from_filename(name, date):
    assert dates.from_filename(name) == date


@pytest.mark.parametrize("paragraph, parts", [
    ("9月5日，全省开发区2022年第三次“三个一批”省主会场活动", (None, 9, 5)),
    ("2月23日省住建厅消息，我省明确了", (None, 2, 23)),
    ("2021年12月30日，我市举行了省属企业及太钢集团招商引资对接座谈会。", (2021, 12, 30)),
    ("二〇二四年二月二十三日，全省开发区", (2024, 2, 23)),
    ("为进一步确保市域成为重大风险终结地，保障广大人民群众生命财产安全。", None),
])
def test_dateline(paragraph, parts):
    assert dates.dateline(paragraph) == parts


def test_dateline_in_full_width_digits_after_folding():
    assert dates.dateline(fold_width("２０２２年９月５日，记者从市人社局获悉")) == (2022, 9, 5)


@pytest.mark.parametrize("line, date", [
    ("2022年4月8日", D(2022, 4, 8)),
    ("二〇二二年四月八日", D(2022, 4, 8)),
    ("2022年9月5日 星期一", D(2022, 9, 5)),
    ("2022年4月13日16时前到兴业投资控股集团有限公司", None),
])
def test_date_line(line, date):
    assert dates.date_line(line) == date


def test_arabize():
    assert dates.arabize("二〇二四年四月八日") == "2024年4月8日"
    assert dates.arabize("二〇二四年十二月三十一日") == "2024年12月31日"


def test_year_evidence_skips_plans_and_ranges():
    strong, weak = dates.year_evidence(
        "全省开发区2022年第三次“三个一批”活动。计划到2025年底完成改造。有效期至2025年。"
        "《全民科学素质行动规划纲要（2021—2025）》")
    assert strong == [2022]
    assert weak == [2022]


def test_year_evidence_reads_chinese_numeral_years():
    assert dates.year_evidence("全省开发区二〇二四年第一次“三个一批”活动举行") == ([2024], [2024])


def test_infer_year_prefers_strong_evidence():
    assert dates.infer_year([2022], [2021, 2023]) == 2022
    assert dates.infer_year([], [2020, 2021]) == 2021
    assert dates.infer_year([], []) is None


def test_resolve_december_in_a_january_dump_is_last_year():
    assert dates.resolve((None, 12, 30), 2023, latest_month=1) == D(2022, 12, 30)
    assert dates.resolve((None, 1, 2), 2023, latest_month=1) == D(2023, 1, 2)
    assert dates.resolve((None, 2, 30), 2023) is None


# -- dates of the seed items -----------------------------------------------------------
def test_dates_of_000(seed):
    assert [a.date for a in seed("000")] == [
        "2022-09-05", "2022-09-05", "2022-09-05", "2022-09-02", "2022-09-05", "2022-09-05"]


def test_article_without_dateline_takes_the_dumps_date(seed):
    # 000's 老旧小区 has no dateline; the dump's latest dateline is 9月5日 of 2022.
    assert by_title(seed("000"), "我市开工改造688个老旧小区").date == "2022-09-05"
    assert by_title(seed("004"), "春到并州画图开").date == "2022-03-16"
    assert containing(seed("001"), "为进一步确保市域成为重大风险终结地").date == "2022-04-08"


def test_year_from_a_numbered_event_not_a_plan(seed):
    # 000 speaks of 2025 (a target) and 2020/2021 (the past); 2022年第三次 decides.
    assert {a.date[:4] for a in seed("000")} == {"2022"}


def test_year_written_in_chinese_numerals(seed):
    assert [a.date for a in seed("003")] == [
        "2024-02-23", "2024-02-25", "2024-02-23", "2024-02-23", "2024-02-23", "2024-02-23",
        "2024-02-25"]


def test_dates_of_001_photo_and_notices(seed):
    items = seed("001")
    assert [(a.kind, a.date) for a in items if a.kind != "article"] == [
        ("photo", "2022-04-06"), ("notice", "2022-04-08"), ("notice", "2022-04-08")]


# -- dates of dumps written here -------------------------------------------------------
DUMP = """我市新增就业岗位1.2万个

本报讯（记者 王芳）9月5日，记者从市人社局获悉，今年以来我市新增城镇就业岗位1.2万个。（李明）

小店区举办中秋游园会

本报讯 近日，小店区坞城街道在社区广场举办中秋游园会，吸引了500余名居民参加。（周敏）
"""


@pytest.mark.parametrize("name, date", [
    ("rmrb_20190210_p01.txt", "2019-02-10"),
    ("2022-09-06_taiyuan_p02.txt", "2022-09-06"),
])
def test_date_in_the_file_name_is_the_date_of_every_item(name, date):
    assert [a.date for a in parse_text(DUMP, name)] == [date, date]


def test_no_year_anywhere_gives_no_date():
    assert [a.date for a in parse_text(DUMP, "dump.txt")] == [None, None]


def test_masthead_date_is_the_dumps_date():
    text = "2022年9月6日 星期二\n\n" + DUMP
    assert [a.date for a in parse_text(text, "dump.txt")] == ["2022-09-05", "2022-09-06"]


def test_full_width_dateline():
    text = DUMP.replace("9月5日，", "２０２２年９月５日，")
    assert [a.date for a in parse_text(text, "dump.txt")] == ["2022-09-05", "2022-09-05"]


def test_notice_signed_in_full_width_digits_takes_its_signature_date():
    text = ("停水通知\n\n各位用户：\n因供水管网维修，９月７日８时至18时，迎泽区部分区域停止供水，请提前做好储水准备。\n"
            "特此通知\n太原供水集团有限公司\n２０２２年９月６日\n")
    [notice] = parse_text(text, "dump.txt")
    assert (notice.kind, notice.date) == ("notice", "2022-09-06")


def test_dump_straddling_new_year():
    text = ("跨年夜 我市举办迎新活动\n\n本报讯（记者 王芳）12月31日，迎泽公园举办跨年灯会，吸引市民5万余人次。\n\n"
            "新年第一天 我市迎来客流高峰\n\n本报讯（记者 赵刚）1月1日，我市各大景区迎来客流高峰，"
            "2023年元旦假期首日接待游客12万人次。\n")
    assert [a.date for a in parse_text(text, "dump.txt")] == ["2022-12-31", "2023-01-01"]


@pytest.mark.parametrize("name", ["005_1a20221031bc9f5e.txt", "9f20220905ab12cd34.txt"])
def test_digits_inside_a_hash_are_not_a_date(name):
    assert dates.from_filename(name) is None


def test_a_quarter_of_last_year_does_not_set_the_year_of_a_january_report():
    text = ("统计局发布经济运行数据\n\n本报讯 1月18日，市统计局发布2022年第四季度经济运行数据，"
            "全市经济稳中向好。2023年，我市将继续推动高质量发展。\n")
    [article] = parse_text(text, "x.txt")
    assert article.date == "2023-01-18"


@pytest.mark.parametrize("lead, expected", [
    ("9月5日，我市召开项目建设推进会。", (None, 9, 5)),
    ("记者从市交通局获悉，10月1日起，全市公交线路调整。", None),
    ("据统计，截至8月31日，全市完成投资120亿元。", None),
    ("会议将于9月10日召开。9月5日，筹备组召开会议。", (None, 9, 5)),
    ("3月15日0时至24时，全市新增确诊病例2例。", (None, 3, 15)),
])
def test_a_dateline_is_the_date_of_the_report_not_a_start_deadline_or_plan(lead, expected):
    assert dates.dateline(lead) == expected


def test_the_dateline_of_an_agency_lead_dates_its_report():
    text = ("我市新建三座公园\n\n新华社太原9月5日电（记者 张明）我市新建的三座公园正式开放，市民可以免费入园游览。"
            "2022年全市计划新建公园十座。\n\n晋祠博物馆迎来客流高峰\n\n新华社太原１０月２日电 晋祠博物馆接待游客两万人次，"
            "创历史新高。\n\n太原供水集团更换水表\n\n本报讯 9月6日，太原供水集团开始为老旧小区更换智能水表。\n")
    assert [a.date for a in parse_text(text, "dump.txt")] == ["2022-09-05", "2022-10-02", "2022-09-06"]
