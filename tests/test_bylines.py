"""search/ingest/bylines.py: bylines, trailing credits and photo credits, on seed text."""
import re

import pytest

from search.ingest import bylines, leads, segment as seg

from builders import by_title, containing


# -- the recognizers -------------------------------------------------------------------
@pytest.mark.parametrize("line, names", [
    ("记者 徐方伟", ["徐方伟"]),
    ("记者 弓凤飞", ["弓凤飞"]),
    ("（申波、常珍）", ["申波", "常珍"]),
    ("（刘成根 韩迎春 刘晓广）", ["刘成根", "韩迎春", "刘晓广"]),
    ("文/图 张三", ["张三"]),
    # any agency of data/leads.txt, not only the seeds' papers
    ("经济日报记者 李晓明", ["李晓明"]),
    ("中新网记者 王强 通讯员 刘芳", ["王强", "刘芳"]),
    ("（人民网记者 赵敏）", ["赵敏"]),
    ("山西晚报首席记者 李华", ["李华"]),          # a paper not listed in data/leads.txt
    # a bullet before the byline, and the roles of today's papers
    ("□本报全媒体记者 张晓红", ["张晓红"]),
    ("■ 记者 李华 通讯员 张强", ["李华", "张强"]),
    ("本报驻晋记者 刘峰", ["刘峰"]),
    ("本报特派记者 王明 融媒体记者 赵亮", ["王明", "赵亮"]),
])
def test_byline_lines(line, names):
    assert bylines.byline(line) == names


def test_an_agency_added_to_leads_txt_signs_bylines_and_credits(data_dir):
    assert bylines.byline("晋城新闻网记者 郭亮") is None
    text = (data_dir / "leads.txt").read_text(encoding="utf-8")
    (data_dir / "leads.txt").write_text(text.replace("[agencies]\n", "[agencies]\n晋城新闻网\n"),
                                        encoding="utf-8")
    leads.formulas.cache_clear()
    try:
        assert bylines.byline("晋城新闻网记者 郭亮") == ["郭亮"]
        assert bylines.split_trailing_credit("全市秋收过半。（晋城新闻网记者 郭亮）") == (["郭亮"], "全市秋收过半。")
    finally:
        leads.formulas.cache_clear()


def test_bulleted_bylines_under_titles_are_their_authors_not_their_titles():
    text = ("古城墙修缮工程完工\n\n□本报全媒体记者 张晓红\n\n"
            "历时两年的古城墙修缮工程近日完工，修复城墙一千二百米，恢复了三处城门楼。\n\n"
            "社区食堂让老人吃上热乎饭\n\n■ 本报驻晋记者 刘峰\n\n"
            "在城区一家社区食堂，十几位老人正在用餐，饭菜荤素搭配，价格实惠。\n")
    assert [(i.title, i.authors, i.paragraphs) for i in seg.segment(text).items] == [
        ("古城墙修缮工程完工", ["张晓红"], ["历时两年的古城墙修缮工程近日完工，修复城墙一千二百米，恢复了三处城门楼。"]),
        ("社区食堂让老人吃上热乎饭", ["刘峰"], ["在城区一家社区食堂，十几位老人正在用餐，饭菜荤素搭配，价格实惠。"])]


def test_a_byline_of_another_paper_under_a_title_is_its_author_not_its_title():
    text = ("国际空间站完成新一轮补给\n\n经济日报记者 王海涛\n\n"
            "　　国际空间站当天完成新一轮货运补给，货运飞船携带约三吨物资与空间站成功对接。\n\n"
            "　　此次补给包括科学实验设备和宇航员生活用品。\n\n"
            "城市公园迎来赏花季\n\n中新网记者 李晓明\n\n"
            "　　随着气温回升，城区多个公园的樱花陆续开放，吸引大量市民前来游览。\n")
    assert [(i.kicker, i.title, i.authors) for i in seg.segment(text).items] == [
        (None, "国际空间站完成新一轮补给", ["王海涛"]), (None, "城市公园迎来赏花季", ["李晓明"])]


@pytest.mark.parametrize("line", ["新时代文明实践", "政务之要", "聚焦 安全生产", "社保经办服务不停摆", "驻村干部 王明",
                                  "■ 聚焦 安全生产"])
def test_headings_are_not_bylines(line):
    assert bylines.byline(line) is None


@pytest.mark.parametrize("paragraph, names, rest", [
    ("新增营收56.29亿元。（何宝国）", ["何宝国"], "新增营收56.29亿元。"),
    ("为本地区企业服务。（申波、常珍）", ["申波", "常珍"], "为本地区企业服务。"),
    ("项目培土奠基。（刘成根 韩迎春 刘晓广）", ["刘成根", "韩迎春", "刘晓广"], "项目培土奠基。"),
    ("审议市政协常委会工作规则和其他事项。（张 波）", ["张波"], "审议市政协常委会工作规则和其他事项。"),
    ("确保全县人民群众生命财产安全和生态安全。（司勇、吴晓敏）", ["司勇", "吴晓敏"],
     "确保全县人民群众生命财产安全和生态安全。"),
])
def test_split_trailing_credit(paragraph, names, rest):
    assert bylines.split_trailing_credit(paragraph) == (names, rest)


@pytest.mark.parametrize("paragraph", [
    "超10亿元的项目6个（签约项目1个，开工项目3个，投产项目2个）。",
    "市政协常委会会议议程（草案）",
    "太原市社会工作人才专业能力提升奖励实施细则(试行)",
])
def test_parentheses_that_are_not_credits_stay(paragraph):
    assert bylines.split_trailing_credit(paragraph) == ([], paragraph)


@pytest.mark.parametrize("line, names, caption", [
    ("太钢将深度融入太忻一体化经济区发展。 贾 鹏 米国伟 牛利敏 摄",
     ["贾鹏", "米国伟", "牛利敏"], "太钢将深度融入太忻一体化经济区发展。"),
    ("4月6日，夜幕下的胜利桥灯光璀璨，水光天色交相辉映，唯美如画。徐浩轩 摄",
     ["徐浩轩"], "4月6日，夜幕下的胜利桥灯光璀璨，水光天色交相辉映，唯美如画。"),
    ("牛利敏 摄", ["牛利敏"], ""),
    ("市重点项目推进会现场。（记者 李明 摄）", ["李明"], "市重点项目推进会现场。"),
])
def test_split_photo_credit(line, names, caption):
    assert bylines.split_photo_credit(line) == (names, caption)


def test_a_sentence_is_not_a_photo_credit():
    assert bylines.split_photo_credit("该公司已在晋中摄制多部纪录片。") is None


def test_names_joins_padded_two_character_names():
    assert bylines.names("贾 鹏 米国伟 牛利敏") == ["贾鹏", "米国伟", "牛利敏"]
    assert bylines.names("记者 张晓丽 通讯员 康振亚") == ["张晓丽", "康振亚"]


# -- on the seed dumps -----------------------------------------------------------------
def test_lead_name_goes_to_authors_and_leaves_the_body(seed):
    item = by_title(seed("000"), "我市开工改造688个老旧小区")
    assert item.authors == ["陈剑"]
    assert item.body.startswith("小店区4370厂小区的居民们最近特别开心")


def test_reporter_and_correspondent_from_one_lead(seed):
    assert by_title(seed("000"), "新学期 从树师风正学风开始").authors == ["张晓丽", "康振亚"]


def test_lead_on_its_own_line(seed):
    item = seed("000")[0]
    assert item.authors == ["陈俊琦"]
    assert item.body.startswith("9月5日，全省开发区2022年第三次")


def test_benkan_lead_is_removed(seed):
    item = seed("003")[0]
    assert item.body.startswith("2月23日，全省开发区2024年第一次")
    assert item.authors == ["张巨峰"]


def test_standalone_reporter_byline(seed):
    item = seed("001")[0]
    assert item.authors == ["徐方伟"]
    assert "徐方伟" not in item.body
    assert item.body.endswith("以优异成绩迎接党的二十大胜利召开。”李卫平说。")


def test_trailing_credit_in_the_last_paragraph(seed):
    item = by_title(seed("001"), "发展高端装备制造业 聚焦四大产业集群")
    assert item.authors == ["何宝国"]
    assert item.body.endswith("新增营收56.29亿元。")


def test_credit_line_of_two_names(seed):
    item = by_title(seed("001"), "防范化解风险隐患 我市开展集中攻坚")
    assert item.authors == ["申波", "常珍"]


def test_credit_of_three_names(seed):
    item = containing(seed("003"), "朔州市与全省同步举行")
    assert item.authors == ["刘成根", "韩迎春", "刘晓广"]
    assert item.body.endswith("独立储能项目培土奠基。")


def test_padded_two_character_credit(seed):
    assert by_title(seed("004"), "市政协召开十四届二次主席会议").authors == ["张波"]
    assert by_title(seed("004"), "我市表彰100家优秀建筑企业").authors == ["陈剑"]


def test_photo_credit_of_three_photographers(seed):
    photo = seed("004")[0]
    assert (photo.kind, photo.authors, photo.body) == (
        "photo", ["贾鹏", "米国伟", "牛利敏"], "太钢将深度融入太忻一体化经济区发展。")


def test_photo_credit_on_its_own_line(seed):
    photo = seed("000")[-1]
    assert photo.kind == "photo"
    assert photo.authors == ["牛利敏"]
    assert "摄" not in photo.body


def test_no_body_keeps_a_lead(all_seed_items):
    assert [a.id for a in all_seed_items if "本报讯" in a.body or "本刊讯" in a.body] == []


CREDIT_AT_END = re.compile(r"[（(][\u4e00-\u9fff、 ]{2,16}[）)]$")


def test_no_paragraph_ends_with_a_credit(all_seed_items):
    ends = [(a.id, p[-20:]) for a in all_seed_items for p in a.body.split("\n")
            if CREDIT_AT_END.search(p)]
    assert ends == []


def test_no_body_keeps_a_photo_credit(all_seed_items):
    assert [a.id for a in all_seed_items if re.search(r"\s摄$|\s摄\n", a.body)] == []


@pytest.mark.parametrize("line, expected", [("记者 张三 报道", ["张三"]), ("编辑 张三 校对 李四", ["张三", "李四"])])
def test_words_of_a_credit_are_not_names(line, expected):
    assert bylines.byline(line) == expected
