"""search/places.py: the cities an article is about, from the gazetteer and the home city."""
import re

import pytest

from search.ingest import places, sources
from search.errors import SearchError
from search.ingest import parse_text
from search.text import normalize

from builders import by_title, containing


@pytest.mark.parametrize("printed, name, kind", [
    ("小店区", "小店区", "county"),
    ("古交", "古交市", "county-short"),
    ("古交市", "古交市", "county"),
    ("清徐县", "清徐县", "county"),
    ("清徐", "清徐县", "county-short"),
    ("晋祠", "晋祠", "landmark"),
])
def test_taiyuan_places(printed, name, kind):
    assert places.gazetteer()[printed] == places.Place(name, "太原", kind)


def test_find_reports_places_in_text_order():
    found = places.find(normalize("在小店区、古交和清徐县，以及晋祠"))
    assert [(p.name, p.city) for p in found] == [
        ("小店区", "太原"), ("古交市", "太原"), ("清徐县", "太原"), ("晋祠", "太原")]


def test_two_character_county_only_as_a_word():
    assert places.find(normalize("大力发展新兴县域经济")) == []
    assert places.find(normalize("兴县人民政府发布通告")) == [places.Place("兴县", "吕梁", "county")]


def test_long_names_match_inside_words():
    assert [p.name for p in places.find(normalize("各市和山西转型综改示范区同步举行"))] == [
        "山西转型综合改革示范区"]


def test_home_city_marks():
    assert places.cities_of("我市开工改造688个老旧小区", "", "太原") == (["太原"], [])
    assert places.cities_of("", "9月5日，市民政局发布消息，经查。", "太原") == (["太原"], [])
    assert places.cities_of("", "9月5日，市民政局发布消息，经查。", "大同") == (["大同"], [])


def test_city_organs_count_only_after_punctuation_or_a_preposition():
    assert places.HOME_MARK.findall("9月5日，市民政局发布消息。") == ["市民政局"]
    assert places.HOME_MARK.findall("记者从市住建局了解到") == ["市住建局"]
    assert places.HOME_MARK.findall("某城市民政局发布消息。") == []


def test_no_place_and_no_home_city_gives_no_city():
    assert places.cities_of("社保经办服务不停摆", "全市各级社保经办机构积极构建线上服务流程。", None) == ([], [])


def test_province_wide_article_has_no_city():
    assert places.cities_of("我省明确专业化规模化租赁企业标准",
                            "2月23日省住建厅消息，我省明确了专业化规模化住房租赁企业标准。", "太原") == ([], [])


def test_title_mentions_outweigh_body_mentions():
    cities, found = places.cities_of("晋中：项目总数50个", "大同市保罗装备制造产业园、云冈区", "太原")
    assert cities == ["晋中", "大同"]
    assert found == ["云冈区"]


def test_configured_sources():
    def configured(name):
        source = sources.configured(name)
        return source and (source.paper, source.home, source.layout)
    assert configured("2022-09-06_taiyuan_p02.txt") == ("太原日报", "太原", None)
    assert configured("TYRB_20220906.txt") == ("太原日报", "太原", None)
    assert configured("rmrb_20190210_p01.txt") == ("人民日报", None, None)
    assert configured("000_ac6bb446a57d0c7e.txt") is None


def test_dominant_city_needs_half_the_places():
    g = places.gazetteer()
    assert places.dominant_city([g["小店区"], g["清徐县"], g["云冈"]]) == "太原"
    assert places.dominant_city([g["小店区"]]) is None
    assert places.dominant_city([g["小店区"], g["云冈"], g["运城"]]) is None


HOME_ONLY = """我市新增就业岗位1.2万个

本报讯（记者 王芳）9月5日，记者从市人社局获悉，今年以来我市新增城镇就业岗位1.2万个。（李明）
"""


def test_file_named_taiyuan_has_home_city_taiyuan():
    [item] = parse_text(HOME_ONLY, "2022-09-06_taiyuan_p02.txt")
    assert item.cities == ["太原"]


def test_file_of_a_national_paper_has_no_home_city():
    [item] = parse_text(HOME_ONLY, "rmrb_20190210_p01.txt")
    assert item.cities == []


def test_unconfigured_file_takes_the_city_that_dominates_its_places():
    text = HOME_ONLY + ("\n迎泽区启动老旧管网改造\n\n本报讯（记者 赵刚）9月4日，迎泽区老旧供热管网改造工程正式启动。\n\n"
                        "小店区举办中秋游园会\n\n本报讯 9月3日，小店区坞城街道举办中秋游园会。\n")
    assert [a.cities for a in parse_text(text, "dump.txt")] == [["太原"], ["太原"], ["太原"]]
    assert [a.cities for a in parse_text(HOME_ONLY, "dump.txt")] == [[]]


def test_configured_home_city_wins_over_the_dumps_places():
    text = HOME_ONLY + ("\n云冈区启动老旧管网改造\n\n本报讯（记者 赵刚）9月4日，云冈区老旧供热管网改造工程正式启动。\n\n"
                        "平城区举办中秋游园会\n\n本报讯 9月3日，平城区举办中秋游园会。\n")
    assert parse_text(text, "dump.txt")[0].cities == ["大同"]
    assert parse_text(text, "taiyuan_20220906.txt")[0].cities == ["太原"]


# -- the seed dumps --------------------------------------------------------------------
def test_cities_of_000(seed):
    assert [a.cities[0] for a in seed("000")] == ["太原"] * 6
    assert seed("000")[0].cities[:2] == ["太原", "忻州"]


def test_province_wide_seed_article_has_no_city(seed):
    item = by_title(seed("002"), "我省明确专业化规模化租赁企业标准")
    assert (item.cities, item.places) == ([], [])


def test_gujiao_interview_is_about_taiyuan(seed):
    item = seed("001")[0]
    assert (item.cities, item.places) == (["太原"], ["古交市"])


def test_qingxu_is_taiyuan(seed):
    item = by_title(seed("001"), "清徐县启动无人机 巡航25万亩林区")
    assert (item.cities, item.places) == (["太原"], ["清徐县"])


def test_jinci_is_taiyuan(seed):
    item = by_title(seed("002"), "上榜全国“优质服务基层行”")
    assert item.cities == ["太原"]
    assert "晋源区" in item.places


def test_civil_affairs_bureau_means_the_home_city(seed):
    assert containing(seed("000"), "市民政局发布消息").cities == ["太原"]


def test_main_city_first(seed):
    items = seed("003")
    assert by_title(items, "晋中：项目总数50个 总投资172亿元").cities == ["晋中", "大同"]
    assert by_title(items, "朔州：集中签约项目17个 签约投资额38.42亿元").cities == ["朔州"]
    assert by_title(items, "大同经济技术开发区党工委经济工作会议召开").cities == ["大同"]
    assert by_title(items, "太原：签约项目17个 涵盖新型化工材料等领域").places == [
        "阳曲县", "清徐县", "太原西山生态文化旅游示范区", "太原中北高新技术产业开发区"]


@pytest.mark.parametrize("file, line, message", [
    ("places.tsv", "晋祠 太原 landmark\n", "line 1: expected 3 tab-separated columns"),
    ("places.tsv", "晋祠\t北京\tlandmark\n", "晋祠: unknown city '北京'"),
    ("sources.tsv", "*taiyuan*\t太原日报\t北京\n", "*taiyuan*: unknown city '北京'"),
    ("sources.tsv", "*taiyuan*\t太原日报\t太原\n*rmrb*\t人民日报\t\tindent\n",
     "line 2: unknown layout 'indent'; layouts are blank-lines indented plain markdown stream"),
])
def test_a_malformed_place_file_is_one_error_naming_file_and_line(data_dir, file, line, message):
    (data_dir / file).write_text(line, encoding="utf-8")
    places.gazetteer.cache_clear()
    sources.sources.cache_clear()
    try:
        with pytest.raises(SearchError, match=re.escape(message)) as e:
            places.gazetteer()
            sources.sources()
        assert str(e.value).startswith(str(data_dir / file))
    finally:
        places.gazetteer.cache_clear()
        sources.sources.cache_clear()
