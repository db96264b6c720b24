"""search/ingest/evidence.py and explain.py: why a headline run starts an item or stays a subhead."""
import pytest

from search.ingest import explain_file, parse_text, segment as seg, sources

from builders import by_title, seed_path

A = "本报讯 9月5日，甲地举办秋季运动会，两千余名运动员参加比赛，场面热烈。"
B = "乙地当天启动道路改造工程，全长十二公里，计划年底完工，沿线设置了临时便道。"
C = "丙地新建的图书馆正式开馆，首日接待读者三千余人次，借出图书五千余册。"


def titles(text, layout=None):
    return [i.title for i in seg.segment(text, layout).items]


def test_without_a_lead_or_credit_a_headline_in_a_dump_with_leads_is_a_subhead():
    assert titles(f"甲地运动会开幕\n\n{A}\n\n乙地启动道路改造\n\n{B}\n") == ["甲地运动会开幕"]


def test_a_stream_without_leads_or_credits_starts_an_item_at_every_headline():
    text = f"甲地运动会开幕\n\n{A[4:]}\n\n乙地启动道路改造\n\n{B}\n\n丙地图书馆开馆\n\n{C}\n"
    assert titles(text) == ["甲地运动会开幕", "乙地启动道路改造", "丙地图书馆开馆"]


def test_a_pinned_stream_layout_starts_items_even_where_the_dump_has_leads():
    text = f"甲地运动会开幕\n\n{A}\n\n乙地启动道路改造\n\n{B}\n"
    assert titles(text, "stream") == ["甲地运动会开幕", "乙地启动道路改造"]


def test_numbered_subheads_stay_even_in_a_stream():
    text = f"一条河的新生\n\n{A[4:]}\n\n一、从治标到治本\n\n{B}\n\n（二）生态补水\n\n{C}\n"
    assert titles(text) == ["一条河的新生"]


def test_a_flush_headline_starts_an_item_where_paragraphs_are_indented():
    text = f"甲地运动会开幕\n\u3000\u3000{A}\n\u3000\u3000一线观察\n乙地启动道路改造\n\u3000\u3000{B}\n"
    items = seg.segment(text).items
    assert [(i.title, i.paragraphs) for i in items] == [
        ("甲地运动会开幕", [A[4:], "一线观察"]), ("乙地启动道路改造", [B])]


def test_two_blank_lines_above_a_headline_where_paragraphs_have_one():
    text = f"甲地运动会开幕\n\n{A}\n\n第二段，{B}\n\n\n乙地启动道路改造\n\n{C}\n"
    assert titles(text) == ["甲地运动会开幕", "乙地启动道路改造"]


def test_a_column_tag_marks_a_title():
    text = f"甲地运动会开幕\n\n{A}\n\n办好家门口的运动会（今日谈）\n\n{B}\n"
    assert titles(text) == ["甲地运动会开幕", "办好家门口的运动会（今日谈）"]


@pytest.mark.parametrize("lead", ["新华社北京9月5日电（记者 王小明）", "央视网消息(新闻联播)：",
                                  "据新华社乌兰巴托9月5日电\u00a0\u00a0", "中新网9月5日电 "])
def test_a_lead_of_any_agency_starts_an_item(lead):
    text = f"甲地运动会开幕\n\n{A}\n\n乙地启动道路改造\n\n{lead}{B}\n"
    assert titles(text) == ["甲地运动会开幕", "乙地启动道路改造"]


def test_a_box_and_a_lone_author_name_stay_in_their_article():
    text = (f"一条河的新生\n\n——记城西河综合治理三年间\n\n核心阅读\n\n{C}\n\n林晓光\n\n{A[4:]}\n\n"
            f"从治标到治本\n\n{B}\n")
    [item] = seg.segment(text).items
    assert (item.title, item.subtitle, item.authors) == ("一条河的新生", "——记城西河综合治理三年间", ["林晓光"])
    assert item.paragraphs == ["核心阅读", C, A[4:], "从治标到治本", B]


def test_the_banners_of_seed_001_go_to_the_items_they_are_about(seed):
    items = seed("001")
    assert by_title(items, "防范化解风险隐患 我市开展集中攻坚").section == "聚焦 安全生产"
    assert by_title(items, "发展高端装备制造业 聚焦四大产业集群").section is None
    assert by_title(items, "清徐县启动无人机 巡航25万亩林区").section == "全力以赴打好森林草原 防火这场硬仗"
    assert by_title(items, "县(市、区)、市直重点部门 领导大接访活动公告").section is None


def test_a_masthead_gives_the_paper_and_the_date_and_is_not_an_item():
    text = f"太原日报 2022年9月6日 星期二\n\n第2版\n\n甲地运动会开幕\n\n{A}\n"
    [item] = parse_text(text, "page.txt")
    assert (item.title, item.date, item.paper, item.page, item.body) == (
        "甲地运动会开幕", "2022-09-05", "太原日报", "2", A[4:])


def test_a_masthead_printed_mid_dump_starts_a_new_page_with_its_date():
    # the item above is not finished and no lead follows: only the new page marks the item
    text = (f"太原日报 2022年9月6日 星期二 第2版\n\n甲地运动会开幕\n\n{A}\n\n"
            f"太原日报 2022年9月7日 星期三 第3版\n\n乙地道路改造开工\n\n{B}\n")
    assert [(i.title, i.date, i.page, i.body) for i in parse_text(text, "pages.txt")] == [
        ("甲地运动会开幕", "2022-09-05", "2", A[4:]), ("乙地道路改造开工", "2022-09-07", "3", B)]


def test_the_paper_of_a_configured_source_and_the_page_of_the_file_name():
    [item] = parse_text(f"城市晚报 2022年9月6日\n\n甲地运动会开幕\n\n{A}\n", "tyrb_20220906_p03.txt")
    assert (item.paper, item.page) == ("太原日报", "3")
    [item] = parse_text(f"甲地运动会开幕\n\n{A}\n", "000_ac6bb446a57d0c7e.txt")
    assert (item.paper, item.page) == (None, None)


def test_page_lines_give_the_page_of_the_items_below_them():
    text = f"第1版\n\n甲地运动会开幕\n\n{A}\n\n第2版\n\n乙地启动道路改造\n\n本报讯 {B}\n"
    assert [(a.title, a.page) for a in parse_text(text, "issue.txt")] == [
        ("甲地运动会开幕", "1"), ("乙地启动道路改造", "2")]


def test_a_layout_pinned_in_sources_tsv(data_dir):
    with open(data_dir / "sources.tsv", "a", encoding="utf-8") as f:
        f.write("tvnews*\t电视新闻\t\tstream\n")
    sources.sources.cache_clear()
    try:
        text = f"甲地运动会开幕\n\n{A}\n\n乙地启动道路改造\n\n{B}\n"
        assert [a.title for a in parse_text(text, "tvnews_01.txt")] == ["甲地运动会开幕", "乙地启动道路改造"]
        assert [a.title for a in parse_text(text, "other_01.txt")] == ["甲地运动会开幕"]
    finally:
        sources.sources.cache_clear()


def test_explain_says_why_each_item_starts_and_why_a_subhead_stays(write_dump):
    path = write_dump("page.txt", f"甲地运动会开幕\n\n{A}\n\n赛场花絮\n\n{B}\n\n乙地启动道路改造\n\n本报讯 {C}\n")
    assert list(explain_file(str(path)).lines()) == [
        "page.txt: layout blank-lines (detected); 2 items; the dump shows leads, bylines or credits",
        "  item 1   line 1     甲地运动会开幕",
        "           starts it: the first item of the dump",
        "    -      line 5     赛场花絮",
        "           stays: a subhead of item 1: no lead follows, item 1 is not finished, and neither "
        "layout nor headline shape marks a new item",
        "  item 2   line 9     乙地启动道路改造",
        "           starts it: a lead follows: 本报讯",
    ]


def test_explain_of_a_seed_names_the_banner_that_went_to_the_item_above():
    lines = list(explain_file(str(seed_path("001"))).lines())
    assert "    -      line 35    聚焦 安全生产" in lines
    assert lines[lines.index("    -      line 35    聚焦 安全生产") + 1] == (
        "           stays: a banner of item 2 above, whose words it repeats")


def test_a_long_title_above_a_lead_is_still_a_title():
    title = "习近平同俄罗斯总统举行会谈 两国元首就双边关系和共同关心的国际和地区问题深入交换意见"
    text = f"甲地运动会开幕\n\n{A}\n\n{title}\n\n央视网消息（新闻联播）：{C}\n"
    assert titles(text) == ["甲地运动会开幕", title]


def test_a_dateline_starts_an_item_where_the_dumps_reports_open_with_one():
    d1, d2, d3 = "9月5日，甲地举办秋季运动会，场面热烈。", "9月6日，乙地启动道路改造工程。", "9月7日，丙地图书馆开馆。"
    dated = f"甲地运动会开幕\n\n本报讯 {d1}\n\n乙地启动道路改造\n\n本报讯 {d2}\n\n丙地图书馆开馆\n\n{d3}\n"
    assert titles(dated) == ["甲地运动会开幕", "乙地启动道路改造", "丙地图书馆开馆"]
    undated = dated.replace("本报讯 9月5日，", "本报讯 当天，").replace("本报讯 9月6日，", "本报讯 当天，")
    assert titles(undated) == ["甲地运动会开幕", "乙地启动道路改造"]


def test_a_kicker_and_its_title_are_not_taken_for_a_broken_paragraph():
    text = "太忻一体化经济区 强势起步进行时\n\n代县人大常委会审议政府工作报告\n\n本报讯 9月5日，代县召开会议。\n"
    [item] = seg.segment(text).items
    assert (item.kicker, item.title) == (None, "代县人大常委会审议政府工作报告")
    assert item.section == "太忻一体化经济区 强势起步进行时"


def test_in_a_stream_a_subhead_printed_smaller_than_the_first_headline_stays():
    text = f"一条河的新生\n\n\n{A[4:]}\n\n从治标到治本\n\n{B}\n\n从一条河到一座城\n\n{C}\n"
    assert titles(text) == ["一条河的新生"]


D = "丁地举办农民丰收节，展销特色农产品两百多种，吸引游客一万余人次。"
E = "戊地开通两条城乡公交线路，沿线十二个村的群众出行更加方便。"
BROADCAST = [("甲地运动会开幕", A[4:]), ("乙地启动道路改造", B), ("丙地图书馆开馆", C),
             ("农民丰收节展销特产", D), ("戊地开通城乡公交", E)]


def broadcast(missing, credit=""):
    """Five broadcast items, title, blank line, text; those in `missing` without their lead."""
    return "\n\n".join(f"{title}\n\n{'' if k in missing else '央视网消息（新闻联播）：'}{text}"
                       for k, (title, text) in enumerate(BROADCAST)) + credit + "\n"


def test_a_broadcast_stream_with_two_of_five_leads_missing_keeps_every_item():
    assert titles(broadcast({1, 3})) == [t for t, _ in BROADCAST]


def test_in_a_signed_dump_a_headline_without_a_lead_stays_a_subhead():
    # a closing credit: a paper's reports, where a feature's subheads look like these titles
    assert titles(broadcast({1, 3}, credit="（完）\n\n（记者 王小明）")) == ["甲地运动会开幕", "丙地图书馆开馆",
                                                                       "戊地开通城乡公交"]


def test_under_a_headline_printed_differently_a_subhead_stays_in_a_dump_of_reports():
    feature = f"一条河的新生\n\n——记甲地的治河人\n\n{A[4:]}\n\n从治标到治本\n\n{D}\n\n"
    reports = "\n\n".join(f"{t}\n\n央视网消息（新闻联播）：{x}" for t, x in BROADCAST[1:4])
    assert titles(feature + reports + "\n") == ["一条河的新生", "乙地启动道路改造", "丙地图书馆开馆", "农民丰收节展销特产"]


def test_explain_names_the_reports_printed_alike(write_dump):
    path = write_dump("tv.txt", broadcast({1, 3}))
    lines = list(explain_file(path).lines())
    assert lines[lines.index("  item 2   line 5     乙地启动道路改造") + 1] == (
        "           starts it: every headline here is printed alike, 3 are followed by a lead and no report "
        "is signed: a report whose lead was left out")


def test_a_report_opening_like_news_starts_an_item_where_the_dumps_reports_do():
    led = ("古城墙修缮工程完工\n\n本报讯 古城墙修缮工程近日完工，城墙恢复了明代风貌。\n\n"
           "文物部门表示，城墙将于下月起向游客开放。\n\n"
           "博物馆推出数字展厅\n\n本报讯 市博物馆日前推出数字展厅，观众通过手机即可观展。\n\n")
    report = "青铜器特展开幕\n\n湖南博物院近日推出一场青铜器特展，展出青铜器一百八十余件。\n"
    part = "从学徒到工匠\n\n一九九八年，技校毕业的陈立新进入工厂当学徒。\n"
    assert titles(led + report) == ["古城墙修缮工程完工", "博物馆推出数字展厅", "青铜器特展开幕"]
    assert titles(led + part) == ["古城墙修缮工程完工", "博物馆推出数字展厅"]
    one_led = led.replace("市博物馆日前推出", "市博物馆推出")
    assert titles(one_led + report) == ["古城墙修缮工程完工", "博物馆推出数字展厅"]


def test_a_part_of_a_feature_signed_above_its_text_stays_though_it_opens_like_news():
    led = ("古城墙修缮工程完工\n\n本报讯 古城墙修缮工程近日完工，城墙恢复了明代风貌。\n\n"
           "博物馆推出数字展厅\n\n本报讯 市博物馆日前推出数字展厅，观众通过手机即可观展。\n\n")
    feature = ("一座城市的绿色蝶变\n\n本报记者 王小明\n\n这座城市曾被煤灰笼罩，如今绿地成片，河水清澈。\n\n"
               "治气：蓝天越来越多\n\n近日，记者从市生态环境局了解到，今年全市空气质量优良天数达到二百四十天。\n")
    assert [(i.title, len(i.paragraphs)) for i in seg.segment(led + feature).items] == [
        ("古城墙修缮工程完工", 1), ("博物馆推出数字展厅", 1), ("一座城市的绿色蝶变", 3)]
