"""search/ingest/leads.py: leads, closing credits and box labels of every agency (data/leads.txt)."""
import re

import pytest

from search.errors import SearchError
from search.ingest import leads, segment as seg


@pytest.fixture
def fresh_formulas():
    leads.formulas.cache_clear()
    yield
    leads.formulas.cache_clear()


@pytest.mark.parametrize("paragraph, names, rest", [
    ("本报讯（记者 陈剑）小店区4370厂小区的居民们最近特别开心", ["陈剑"], "小店区4370厂小区的居民们最近特别开心"),
    ("本报讯（记者 张晓丽 通讯员 康振亚）9月5日上午，沙河街小学校", ["张晓丽", "康振亚"], "9月5日上午，沙河街小学校"),
    ("本报讯（山西日报记者 陈俊琦）", ["陈俊琦"], ""),
    ("本刊讯 2月23日，全省开发区2024年第一次", [], "2月23日，全省开发区2024年第一次"),
    ("本报讯 为进一步确保市域成为重大风险终结地", [], "为进一步确保市域成为重大风险终结地"),
    ("本报太原9月5日讯（记者 张三）全市召开会议。", ["张三"], "全市召开会议。"),
    ("新华社北京10月20日电（记者 王小明）国务院新闻办公室20日举行发布会。", ["王小明"],
     "国务院新闻办公室20日举行发布会。"),
    ("据新华社乌兰巴托10月20日电 蒙古国政府20日宣布。", [], "蒙古国政府20日宣布。"),
    ("本报北京10月20日电\u00a0\u00a0（记者 李华 赵明）记者从交通运输部获悉。", ["李华", "赵明"], "记者从交通运输部获悉。"),
    ("本报布鲁塞尔10月20日电\u3000（记者刘洋）欧盟委员会当天发布报告。", ["刘洋"], "欧盟委员会当天发布报告。"),
    ("央视网消息（新闻联播）：今天，全国秋粮收购工作全面展开。", [], "今天，全国秋粮收购工作全面展开。"),
    ("央视网消息(新闻联播)：今天，全国秋粮收购工作全面展开。", [], "今天，全国秋粮收购工作全面展开。"),
    ("中国网络电视台消息(新闻联播)：记者从国家统计局了解到。", [], "记者从国家统计局了解到。"),
    ("中新网10月20日电 据国家气象中心消息，寒潮将影响北方。", [], "据国家气象中心消息，寒潮将影响北方。"),
    ("人民网10月20日讯 一场秋雨过后，气温明显下降。", [], "一场秋雨过后，气温明显下降。"),
    ("据《经济日报》报道，前三季度外贸进出口稳中有升。", [], "前三季度外贸进出口稳中有升。"),
    ("新华社北京１０月２０日电 全角数字的电头。", [], "全角数字的电头。"),
    ("据新华社电 交通运输部最新数据显示，港口吞吐量创新高。", [], "交通运输部最新数据显示，港口吞吐量创新高。"),
    ("本报北京电（记者 孙立 周敏）国家林草局近日部署秋冬季造林。", ["孙立", "周敏"], "国家林草局近日部署秋冬季造林。"),
    ("新华社郑州电（记者 马丽）沿黄九个城市联合开展生态巡查。", ["马丽"], "沿黄九个城市联合开展生态巡查。"),
    ("据央视新闻报道，国家能源局近日印发方案。", [], "国家能源局近日印发方案。"),
    ("本报讯 记者王明 通讯员李华报道：近日，全市召开会议。", ["王明", "李华"], "近日，全市召开会议。"),
    ("新华社北京10月20日电 记者王明、李华报道：国务院当天召开会议。", ["王明", "李华"], "国务院当天召开会议。"),
    # any paper's name signs, listed or not
    ("晋城日报讯（记者 王明）近日，全市召开会议。", ["王明"], "近日，全市召开会议。"),
    ("中国青年报北京10月20日电（记者 李华）教育部当天发布通知。", ["李华"], "教育部当天发布通知。"),
    # 记者 that is not an author credit stays text
    ("本报讯 记者从市教育局获悉，今年新建学校十所。", [], "记者从市教育局获悉，今年新建学校十所。"),
    ("本报讯 记者近日在采访中看到的报道显示，情况良好。", [], "记者近日在采访中看到的报道显示，情况良好。"),
])
def test_leads_of_every_agency(paragraph, names, rest):
    assert leads.split_lead(paragraph) == (names, rest)


@pytest.mark.parametrize("paragraph", [
    "9月5日，市民政局发布消息。",
    "本报记者从市交通局获悉，地铁2号线将延长运营时间。",
    "据了解，改造工程计划在供暖季前全部完工。",
    "新华社发布的消息称，会议将于下周举行。",
    "本报记者致电市民政局了解到，补贴已全部发放。",      # {place}电 without an author credit
    "本网站电话为12345，欢迎来电。",
    "防空警报讯号响起，市民有序疏散。",     # …报 is a paper's name only with a paper's suffix
    "据当时报道，事故未造成人员伤亡。",
])
def test_text_that_only_mentions_an_agency_has_no_lead(paragraph):
    assert leads.split_lead(paragraph) is None


@pytest.mark.parametrize("paragraph, names, rest", [
    ("双方签署了合作文件。（本报布鲁塞尔10月20日电）", [], "双方签署了合作文件。"),
    ("（本报喀土穆电）", [], ""),
    ("（新华社记者 王小明 摄）", ["王小明"], ""),
    ("活动持续三天。（来源：市文旅局）", [], "活动持续三天。"),
    ("（责任编辑：李华）", ["李华"], ""),
    ("（据新华社北京10月20日电）", [], ""),
    ("播种质量总体好于上年。（据人民网）", [], "播种质量总体好于上年。"),
    ("将继续完善县乡充电网络。（据《经济日报》）", [], "将继续完善县乡充电网络。"),
    ("（据《山西晚报》报道）", [], ""),
    ("（据新华社塔什干电 记者孟文林）", ["孟文林"], ""),
    ("双方将加强合作。（据新华社电  记者任芳明、薛雪）", ["任芳明", "薛雪"], "双方将加强合作。"),
])
def test_closing_credits(paragraph, names, rest):
    assert leads.split_closing_credit(paragraph) == (names, rest)


@pytest.mark.parametrize("paragraph", ["双方签署了合作文件。", "市政协常委会会议议程（草案）", "（上）"])
def test_no_closing_credit(paragraph):
    assert leads.split_closing_credit(paragraph) is None


@pytest.mark.parametrize("line, expected", [
    ("核心阅读", True), ("【编者按】", True), ("开栏的话：", True), ("相关链接", True),
    ("核心阅读材料", False), ("编者按：本报今起推出系列报道。", False),
])
def test_box_labels(line, expected):
    assert leads.box_label(line) is expected


def test_an_editor_adds_an_agency_and_a_lead_formula(data_dir, fresh_formulas):
    text = (data_dir / "leads.txt").read_text(encoding="utf-8")
    text = text.replace("[agencies]\n", "[agencies]\n晋城新闻网\n")
    text = text.replace("[leads]\n", "[leads]\n{agency}{date}快讯 ：\n")
    (data_dir / "leads.txt").write_text(text, encoding="utf-8")
    assert leads.split_lead("晋城新闻网10月20日快讯：全市秋收过半。") == ([], "全市秋收过半。")


@pytest.mark.parametrize("content, message", [
    ("本报\n", "line 2: '本报' is outside a section"),
    ("[agencies]\n本报\n[lead]\n{agency}讯\n", "line 4: unknown section [lead]"),
    ("[agencies]\n本报\n[leads]\n{agency}{city}讯\n", "line 5: unknown placeholder '{city}'"),
    ("[agencies]\n本报\n[leads]\n{agency讯\n", "line 5: unknown placeholder '{agency讯'"),
    ("[agencies]\n本报 新华社\n", "line 3: '本报 新华社': one name per line"),
    ("[agencies]\n本报\n[credits]\n（{names}{names}）\n", "line 5: {names} may appear once in a formula"),
    ("[leads]\n{agency}讯\n", "no [agencies]: at least one is needed"),
])
def test_a_malformed_leads_file_is_one_error_naming_file_and_line(data_dir, fresh_formulas, content, message):
    (data_dir / "leads.txt").write_text("# leads (a comment counts as line 1)\n" + content, encoding="utf-8")
    with pytest.raises(SearchError, match=re.escape(message)) as e:
        leads.formulas()
    assert str(e.value).startswith(str(data_dir / "leads.txt"))


def test_a_page_of_briefs_whose_leads_carry_no_date():
    text = ("港口吞吐量稳步增长\n\n据新华社电 交通运输部数据显示，前三季度主要港口货物吞吐量同比增长。\n\n"
            "多地启动秋冬季造林\n\n本报北京电（记者 孙立 周敏）国家林草局近日部署秋冬季造林绿化工作。\n\n"
            "沿黄城市联合开展生态巡查\n\n新华社郑州电（记者 马丽）沿黄九个城市近日联合开展生态保护巡查。\n")
    assert [(i.title, i.authors, i.paragraphs) for i in seg.segment(text).items] == [
        ("港口吞吐量稳步增长", [], ["交通运输部数据显示，前三季度主要港口货物吞吐量同比增长。"]),
        ("多地启动秋冬季造林", ["孙立", "周敏"], ["国家林草局近日部署秋冬季造林绿化工作。"]),
        ("沿黄城市联合开展生态巡查", ["马丽"], ["沿黄九个城市近日联合开展生态保护巡查。"])]


def test_reprinted_reports_closed_by_their_source_are_items_of_their_own():
    text = ("多地加快建设充电设施\n\n截至目前，全国已建成充电桩超过八百万台。（据《经济日报》）\n\n"
            "北方地区开始集中供暖\n\n随着气温下降，北方多个城市提前启动集中供暖。（据央视新闻）\n\n"
            "冬小麦播种基本结束\n\n全国冬小麦播种已基本结束，播种质量总体好于上年。（据人民网）\n")
    assert [(i.title, i.authors, i.paragraphs) for i in seg.segment(text).items] == [
        ("多地加快建设充电设施", [], ["截至目前，全国已建成充电桩超过八百万台。"]),
        ("北方地区开始集中供暖", [], ["随着气温下降，北方多个城市提前启动集中供暖。"]),
        ("冬小麦播种基本结束", [], ["全国冬小麦播种已基本结束，播种质量总体好于上年。"])]
