"""search/segment.py: column-break repair, headlines, subheads, photos and notices."""
import datetime

import pytest

from search.ingest import headlines, repair, segment as seg

from builders import by_title, containing, flat

BANNERS = ["聚焦 安全生产", "政务之要", "新时代文明实践", "慎终如始做好 常态化疫情防控",
           "慎终如始做好", "常态化疫情防控"]


# -- column breaks ---------------------------------------------------------------------
@pytest.mark.parametrize("title, phrase", [
    ("全省开发区2022年第三次“三个一批”活动暨太忻一体化经济区建设推进会举行", "推动先进要素集聚"),
    ("全省开发区2022年第三次“三个一批”活动暨太忻一体化经济区建设推进会举行", "对施工进度滞后"),
    ("全省开发区2022年第三次“三个一批”活动暨太忻一体化经济区建设推进会举行",
     "深化“承诺制+标准地+全代办”改革"),
    ("我市开工改造688个老旧小区", "基础设施老化"),
    ("我市开工改造688个老旧小区", "教育等配套设施"),
])
def test_column_breaks_in_000_are_joined(seed, title, phrase):
    assert phrase in flat(by_title(seed("000"), title).body)


@pytest.mark.parametrize("title, phrase", [
    ("全省开发区2022年第一次“三个一批”活动举行", "传统优势产业和发展壮大"),
    ("全省开发区2022年第一次“三个一批”活动举行", "推动项目加快建设进度"),
    ("全省开发区2022年第一次“三个一批”活动举行", "高质量发展质效"),
    ("我市进出口贸易增速迅猛", "我市进出口同比增速"),
    ("我省明确专业化规模化租赁企业标准", "享受规定的优惠政策"),
    ("上榜全国“优质服务基层行”", "市基层卫生协会"),
])
def test_column_breaks_in_002_are_joined(seed, title, phrase):
    assert phrase in flat(by_title(seed("002"), title).body)


def test_a_word_cut_by_a_break_is_one_paragraph_not_a_heading(seed):
    item = by_title(seed("000"), "我市开工改造688个老旧小区")
    assert "老旧小区大都建成年代久远，基础设施老化，功能严重缺失。" in item.body.split("\n")[2]
    assert len(item.body.split("\n")) == 4


def test_a_headline_in_parts_set_apart_by_a_space_is_not_half_a_paragraph():
    # jieba reads 强大 across 双强 | 大会, but prose is not printed with spaces between words
    text = ("全市秋粮收购工作全面展开\n\n本报讯（记者 王明）全市秋粮收购工作近日全面展开。（何宝国）\n\n"
            "聚焦制造业当家 推动产业科技互促双强\n\n大会提出，要坚持把制造业作为立省之本。\n")
    assert [(i.title, i.paragraphs) for i in seg.segment(text).items] == [
        ("全市秋粮收购工作全面展开", ["全市秋粮收购工作近日全面展开。"]),
        ("聚焦制造业当家 推动产业科技互促双强", ["大会提出，要坚持把制造业作为立省之本。"])]


def test_break_across_a_photo_caption_is_joined_and_the_caption_kept(seed):
    items = seed("003")
    jinzhong = by_title(items, "晋中：项目总数50个 总投资172亿元")
    assert "“投产一批”项目16个，总投资41.7亿元" in jinzhong.body
    assert jinzhong.captions == [
        "全省开发区2024年第一次“三个一批”活动大同市保罗装备制造产业园(A区)项目开工仪式现场。"]
    assert "保罗装备" not in jinzhong.body and "杨洋" not in jinzhong.body
    assert [a.kind for a in items].count("photo") == 0


def test_paragraph_continued_on_the_next_page_joins_across_the_marker(seed):
    shuozhou = by_title(seed("003"), "朔州：集中签约项目17个 签约投资额38.42亿元")
    assert shuozhou.body.split("\n")[1].startswith("集中签约的17个项目中")
    assert "下转" not in shuozhou.body


# -- headlines -------------------------------------------------------------------------
REPORT = "\u3000\u3000本报北京5月8日电（记者 王明）会议研究了有关事项，部署了下一步工作。\n"


@pytest.mark.parametrize("upper, lower", [
    ("国务院常务会议部署发展现代物流", "研究促进民营经济发展壮大的若干措施"),   # what the meeting did
    ("国家发展改革委召开新闻发布会", "介绍扩大国内需求有关情况"),
    ("一条路带活一方产业", "山区农村公路建设见闻"),                   # the report's genre
    ("全省开展打击电信网络诈骗专项行动", "今年以来破获案件四千余起，挽回损失二点三亿元"),  # details in clauses
    ("坚守山村讲台三十年", "——记乡村教师王秀兰"),
])
def test_the_second_of_two_headline_lines_is_a_subtitle(upper, lower):
    [item] = seg.segment(f"{upper}\n{lower}\n{REPORT}").items
    assert (item.kicker, item.title, item.subtitle) == (None, upper, lower)


@pytest.mark.parametrize("upper, lower", [
    ("国家统计局发布数据显示", "前三季度国民经济持续恢复向好"),
    ("坚持稳中求进 推动高质量发展", "省政府召开第一季度经济形势分析会"),
    ("稳岗扩岗，服务先行", "全省开展春风行动，提供岗位八万多个"),   # both with commas: the usual reading
])
def test_otherwise_the_first_of_two_headline_lines_is_a_kicker(upper, lower):
    [item] = seg.segment(f"{upper}\n{lower}\n{REPORT}").items
    assert (item.kicker, item.title, item.subtitle) == (upper, lower, None)


def test_where_every_line_is_set_apart_a_kicker_and_title_without_a_lead_start_an_item():
    text = ("全市供热设施检修完成\n\n本报讯（记者 王明）全市集中供热设施检修工作全面完成。\n\n"
            "供热企业开通服务热线，居民遇到问题可随时反映。\n\n"
            "夏粮丰收到手\n\n全国麦收进度过八成\n\n全国已收获冬小麦两亿五千万亩，麦收进度过八成。\n\n"
            "因地制宜发展特色产业\n\n当地大力推广标准化种植，建设冷链物流设施。\n")
    assert [(i.kicker or i.section, i.title, i.paragraphs) for i in seg.segment(text).items] == [
        (None, "全市供热设施检修完成", ["全市集中供热设施检修工作全面完成。", "供热企业开通服务热线，居民遇到问题可随时反映。"]),
        ("夏粮丰收到手", "全国麦收进度过八成", ["全国已收获冬小麦两亿五千万亩，麦收进度过八成。", "因地制宜发展特色产业",
                                    "当地大力推广标准化种植，建设冷链物流设施。"])]


@pytest.mark.parametrize("text, expected", [
    ("全国麦收进度过八成", True),
    ("一路", False),                    # too short to be a whole headline
    ("“庭院党", False),                  # a quote left open
    ("、党建微帮站", False),              # opens with a mark that carries a sentence on
    ("持续开展——", False),
])
def test_whole_headline(text, expected):
    assert headlines.whole_headline(text) is expected


def test_kicker_above_the_title(seed):
    item = by_title(seed("000"), "我市开工改造688个老旧小区")
    assert (item.kicker, item.subtitle, item.section) == ("保基本 抓提升 促完善", None, None)


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_deck_below_the_title(seed, prefix):
    assert seed(prefix)[0].subtitle == "林武出席并讲话 蓝佛安主持"


def test_deck_with_a_dash(seed):
    item = seed("001")[0]
    assert item.title == "全面开启“二次创业” 在资源型地区绿色低碳转型发展上勇蹚新路"
    assert item.subtitle == "——访古交市委书记李卫平"


def test_kicker_title_and_deck_in_002(seed):
    item = seed("002")[0]
    assert (item.kicker, item.title, item.subtitle) == (
        "持续发力抓项目 奋楫当先促转型", "全省开发区2022年第一次“三个一批”活动举行", "林武出席并讲话 蓝佛安主持")


def test_markdown_kicker_title_and_deck_in_003(seed):
    item = seed("003")[0]
    assert (item.kicker, item.title, item.subtitle) == (
        "迅速掀起项目建设热潮 确保实现首季良好开局", "全省开发区二〇二四年第一次“三个一批”活动举行",
        "金湘军出席并讲话")


def test_section_banners_are_never_titles_nor_body(all_seed_items):
    titles = {a.title for a in all_seed_items}
    assert titles.isdisjoint(BANNERS)
    assert [a.id for a in all_seed_items if "政务之要" in a.body or "聚焦 安全生产" in a.body
            or "慎终如始" in a.body] == []


def test_banner_above_an_article_is_its_section(seed):
    assert by_title(seed("004"), "市政协召开十四届二次主席会议").section == "政务之要"


def test_in_article_subheads_stay_in_the_body(seed):
    items = seed("004")
    article = by_title(items, "春到并州画图开")
    paragraphs = article.body.split("\n")
    for subhead in ["项目建设——跑出攻坚“新速度”", "招商引资——全力组织“新攻势”",
                    "优化营商环境——展现营商“新气象”", "创新赋能——激活发展“新动力”"]:
        assert subhead in paragraphs
    assert [a.title for a in items] == [
        None, "春到并州画图开", "市政协召开十四届二次主席会议", "全市评出30名“最美”典型",
        "我市表彰100家优秀建筑企业", "市疫情防控办提示9地返（抵）并人员要主动报备"]


def test_continued_article_starts_after_the_marker(seed):
    article = by_title(seed("004"), "春到并州画图开")
    assert article.body.startswith("统筹兼顾、灵活施政、有效防控、创新举措")
    assert article.body.endswith("春风浩荡，城市发展勃勃然铺开了美好画图！")


def test_title_printed_after_its_body(seed):
    item = containing(seed("001"), "为进一步确保市域成为重大风险终结地")
    assert item.title == "防范化解风险隐患 我市开展集中攻坚"
    assert item.authors == ["申波", "常珍"]
    assert item.body.startswith("为进一步确保市域成为重大风险终结地")
    assert "防范化解风险隐患 我市开展集中攻坚" not in item.body


def test_titles_of_001(seed):
    assert [a.title for a in seed("001")] == [
        "全面开启“二次创业” 在资源型地区绿色低碳转型发展上勇蹚新路",
        "防范化解风险隐患 我市开展集中攻坚",
        "发展高端装备制造业 聚焦四大产业集群",
        None,
        "太原动物园、太原植物园 入选首批全国科教基地",
        "万柏林550套人才公寓 年底交付入住",
        "社保经办服务不停摆",
        "通知",
        "清徐县启动无人机 巡航25万亩林区",
        "县(市、区)、市直重点部门 领导大接访活动公告",
        "凝聚“微力量” 引领新风尚",
    ]


def test_titles_and_kinds_of_003(seed):
    assert [(a.kind, a.title) for a in seed("003")] == [
        ("article", "全省开发区二〇二四年第一次“三个一批”活动举行"),
        ("article", "二〇二四年全省投资促进工作锚定“五个更加注重”"),
        ("article", "迅速掀起项目建设热潮 确保实现首季良好开局"),
        ("article", "太原：签约项目17个 涵盖新型化工材料等领域"),
        ("article", "晋中：项目总数50个 总投资172亿元"),
        ("article", "朔州：集中签约项目17个 签约投资额38.42亿元"),
        ("article", "大同经济技术开发区党工委经济工作会议召开"),
    ]


# -- photos and notices ----------------------------------------------------------------
def test_photo_is_an_item_of_its_own(seed):
    photo = seed("000")[-1]
    assert (photo.kind, photo.title, photo.kicker, photo.subtitle) == ("photo", None, None, None)
    assert photo.body == ("9月5日是中国第七个“中华慈善日”。当日，省残疾人福利基金会向首批"
                          "助残公益大使颁发代言聘书，助力残疾人事业发展。")


def test_photos_of_001_and_002(seed):
    photo = [a for a in seed("001") if a.kind == "photo"]
    assert [(p.body, p.authors) for p in photo] == [
        ("4月6日，夜幕下的胜利桥灯光璀璨，水光天色交相辉映，唯美如画。", ["徐浩轩"])]
    photo = [a for a in seed("002") if a.kind == "photo"]
    assert [p.authors for p in photo] == [["邓寅明"]]
    assert photo[0].body.endswith("为环卫工人、快递员、送餐员等提供更多温馨服务。")


def test_notices(seed):
    notices = [a for a in seed("001") if a.kind == "notice"]
    assert [(n.title, n.date) for n in notices] == [
        ("通知", "2022-04-08"),
        ("县(市、区)、市直重点部门 领导大接访活动公告", "2022-04-08"),
    ]
    assert notices[0].body.startswith("兴业公租房田黄先生：")
    assert notices[0].body.split("\n")[-3:] == ["特此通知", "山西兴业投资控股集团有限公司实业公司",
                                                "2022年4月8日"]


# -- the helpers, on small inputs ------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("保基本 抓提升 促完善", True),
    ("我市开工改造688个老旧小区", True),
    ("一年春作首，万事干为先。", False),
    ("老旧小区大都建成年代久远，基础设施老化，功能严重缺失。", False),
    ("灯泡不亮了、下水道堵了、水龙头坏了、孩子学习不专注了……", False),
])
def test_heading_like(text, expected):
    assert headlines.heading_like(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("把两地产业新城建设作为重要引擎，推", True),
    ("老旧小区大都建成年代久远，基础", True),
    ("他们的老房子被纳入了改造范围，", True),
    ("打造新的经济增长极。", False),
    ("我市开工改造688个老旧小区", False),          # a headline has no sentence punctuation
])
def test_open_ended(text, expected):
    assert repair.open_ended(text) is expected


def test_spans_word():
    assert repair.spans_word("建成年代久远，基础", "设施老化，功能严重缺失。") is True
    assert repair.spans_word("基础设施老化。", "功能严重缺失") is False
    assert repair.spans_word("巴西政府计划到二", "零三零年将可再生能源发电比例提高到九成") is True
    assert repair.spans_word("增长百分之五", "点二，比上半年加快") is True


@pytest.mark.parametrize("text, expected", [
    ("其中，源瀚蓝宝石", True),
    ("越南工贸部表示，将", True),
    ("在，乎", False),                  # the comma not a few characters in
    ("稳岗扩岗 服务先行", False),
])
def test_mid_comma(text, expected):
    assert headlines.mid_comma(text) is expected


def items_of(text):
    items = seg.segment(text).items
    return [(i.kind, i.title, i.paragraphs, i.authors, i.captions) for i in items]


def test_segment_joins_a_break_across_an_interposed_caption():
    text = ("我市召开重点项目推进会\n\n"
            "本报讯（记者 王芳）9月5日，市政府召开重点项目推进会。会议要求，各县（市、区）要加快推进“开\n\n"
            "市重点项目推进会现场。李明 摄\n\n"
            "工一批”项目建设进度，确保年底前完成全年投资目标。（赵刚）\n")
    assert items_of(text) == [(
        "article", "我市召开重点项目推进会",
        ["9月5日，市政府召开重点项目推进会。会议要求，各县（市、区）要加快推进“开工一批”项目建设进度，"
         "确保年底前完成全年投资目标。"],
        ["王芳", "赵刚", "李明"], ["市重点项目推进会现场。"])]


def test_segment_keeps_a_closed_paragraph_apart_from_the_next():
    text = ("我市召开重点项目推进会\n\n本报讯 9月5日，市政府召开重点项目推进会。\n\n"
            "会议要求加快推进项目建设。（赵刚）\n\n小店区举办中秋游园会\n\n本报讯 9月4日，小店区举办中秋游园会。\n")
    assert items_of(text) == [
        ("article", "我市召开重点项目推进会", ["9月5日，市政府召开重点项目推进会。", "会议要求加快推进项目建设。"],
         ["赵刚"], []),
        ("article", "小店区举办中秋游园会", ["9月4日，小店区举办中秋游园会。"], [], []),
    ]


def test_segment_title_after_body_before_credit():
    text = ("本报讯 为进一步做好秋季安全生产工作，我市从9月起开展安全生产大检查。\n\n"
            "此次大检查将持续至11月底。\n\n"
            "我市开展秋季安全生产大检查\n\n（孙丽、周敏）\n")
    assert items_of(text) == [(
        "article", "我市开展秋季安全生产大检查",
        ["为进一步做好秋季安全生产工作，我市从9月起开展安全生产大检查。", "此次大检查将持续至11月底。"],
        ["孙丽", "周敏"], [])]


def test_segment_notice_with_signoff_and_signature_date():
    text = ("停水通知\n\n各位用户：\n因供水管网维修，9月7日迎泽区部分区域停止供水。\n特此通知\n"
            "太原供水集团有限公司\n2022年9月6日\n")
    items = seg.segment(text).items
    assert [(i.kind, i.title, i.signed) for i in items] == [
        ("notice", "停水通知", datetime.date(2022, 9, 6))]


def test_segment_masthead_date():
    cut = seg.segment("2022年9月5日 星期一\n\n我市新增就业岗位\n\n本报讯（记者 王芳）今日，消息。")
    items = cut.items
    assert cut.masthead == datetime.date(2022, 9, 5)
    assert [(i.title, i.paragraphs) for i in items] == [("我市新增就业岗位", ["今日，消息。"])]


def test_an_over_long_item_is_split_into_parts_at_sentence_ends():
    sentence = "市政府召开会议，部署老旧小区改造工作。"
    text = "我市召开大会\n\n本报讯（记者 王芳）" + sentence * 6000 + "文末独特短语。"
    items = seg.segment(text).items
    assert len(items) == 3 and all(i.title == f"我市召开大会（{k}/3）" for k, i in enumerate(items, 1))
    bodies = ["".join(i.paragraphs) for i in items]
    assert all(len(b) <= seg.MAX_BODY for b in bodies)
    assert all(b.endswith("。") for b in bodies)
    assert "".join(bodies) == sentence * 6000 + "文末独特短语。"       # nothing lost, nothing twice
    assert all(i.authors == ["王芳"] for i in items)


# -- papers that indent paragraphs and print no blank lines -------------------------------------

INDENTED = ("我市召开项目建设推进会\n"
            "　　本报讯（记者 张三）9月5日，我市召开项目建设推进会，部署下一阶段重点工作。\n"
            "　　一是扩容\n"
            "　　二是提质\n"
            "　　让我们携手共建美好家园！\n"
            "　　近日，小店区开展了相关活动，群众反响热烈，纷纷表示支持这项工作的开展。\n"
            "　　李四 摄\n"
            "古交市举办招聘会\n"
            "　　本报讯（记者 王五）9月4日，古交市举办招聘会，百余家企业参加。\n")


def test_short_indented_paragraphs_are_body_text_not_headlines():
    items = items_of(INDENTED)
    assert [(kind, title) for kind, title, *_ in items] == [("article", "我市召开项目建设推进会"),
                                                            ("article", "古交市举办招聘会")]
    assert items[0][2][1:4] == ["一是扩容", "二是提质", "让我们携手共建美好家园！"]


def test_without_blank_lines_a_credit_under_a_paragraph_credits_the_article():
    kind, title, paragraphs, authors, captions = items_of(INDENTED)[0]
    assert authors == ["张三", "李四"] and captions == []
    assert paragraphs[-1].startswith("近日，小店区开展了相关活动")


def test_a_continuation_marker_on_its_own_line_starts_the_continued_article():
    text = ("市领导调研重点工作\n\n本报讯 9月5日，市领导调研重点工作。（赵刚）\n\n"
            "大项目 新空间\n\n（上接第1版）\n\n统筹兼顾，系统推进各项工作，确保取得实效。\n")
    assert [title for _, title, *_ in items_of(text)] == ["市领导调研重点工作", "大项目 新空间"]


def test_a_number_cut_from_its_unit_by_a_break_is_joined_but_a_phone_number_is_not():
    text = ("我市项目开工\n\n本报讯 9月5日，我市重点项目集中开工，总投资80.56\n\n亿元，同比增长12%。\n\n"
            "联系电话：0351-1234567\n\n二、工作要求。\n")
    [(_, _, paragraphs, _, _)] = items_of(text)
    assert paragraphs == ["9月5日，我市重点项目集中开工，总投资80.56亿元，同比增长12%。", "联系电话：0351-1234567",
                          "二、工作要求。"]


def test_a_title_that_names_a_visit_is_not_a_deck():
    items = seg.segment("聚焦高质量发展 奋力谱写太原新篇章\n\n市委书记到小店区调研\n\n"
                           "本报讯 9月5日，市委书记到小店区调研高质量发展工作，要求奋力谱写太原新篇章。\n").items
    assert (items[0].kicker, items[0].title, items[0].subtitle) == (
        "聚焦高质量发展 奋力谱写太原新篇章", "市委书记到小店区调研", None)


def test_a_line_with_a_comma_mid_line_stopping_mid_sentence_is_the_first_half_of_a_paragraph():
    text = ("网络游戏账号可以继承\n\n本报讯 互联网法院日前审理了一起网络游戏账号继承纠纷案。\n\n"
            "法律专家表示，该案对于明确网络虚拟财产\n\n的法律属性、保护公民合法权益具有参考意义。\n")
    assert items_of(text) == [("article", "网络游戏账号可以继承", [
        "互联网法院日前审理了一起网络游戏账号继承纠纷案。",
        "法律专家表示，该案对于明确网络虚拟财产的法律属性、保护公民合法权益具有参考意义。"], [], [])]


def test_where_the_dumps_headlines_hold_commas_such_a_line_stays_a_headline():
    text = ("破获案件四千余起，挽回损失两亿元\n\n本报讯 今年以来，全省公安机关开展专项行动。\n\n"
            "新建学校一百二十所，新增学位九万个\n\n本报讯 今年全省新建、改扩建中小学和幼儿园一百二十所。\n\n"
            "城乡公交通到村口，群众出行更方便\n\n今年全市新开通城乡公交线路二十条。\n")
    assert [(i.title, i.paragraphs) for i in seg.segment(text).items] == [
        ("破获案件四千余起，挽回损失两亿元", ["今年以来，全省公安机关开展专项行动。"]),
        ("新建学校一百二十所，新增学位九万个", ["今年全省新建、改扩建中小学和幼儿园一百二十所。",
                                       "城乡公交通到村口，群众出行更方便", "今年全市新开通城乡公交线路二十条。"])]


def test_the_text_after_a_lead_is_prose_even_when_a_break_leaves_it_without_punctuation():
    text = ("肯尼亚一条快速路通车\n\n新华社内罗毕5月1日电（记者 王明）由中国企业承建的肯尼亚一条城\n\n"
            "市快速路近日竣工通车。\n")
    assert items_of(text) == [("article", "肯尼亚一条快速路通车", ["由中国企业承建的肯尼亚一条城市快速路近日竣工通车。"],
                               ["王明"], [])]
