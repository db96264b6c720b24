"""search/ingest/layout.py: lines with their layout hints, page markers removed, and the layout."""
import pytest

from search.ingest.layout import Line, profile, read_lines, uses_blank_lines


def texts(text):
    return [line.text for line in read_lines(text)]


def test_blank_line_before_a_line_is_a_gap():
    lines = read_lines("政务之要\n\n市政协召开十四届二次主席会议\n本报讯 3月15日，市政协召开会议。\n")
    assert [(l.text, l.gap) for l in lines] == [
        ("政务之要", True),                 # the first line always opens a paragraph
        ("市政协召开十四届二次主席会议", True),
        ("本报讯 3月15日，市政协召开会议。", False),
    ]


def test_line_numbers_count_blank_lines():
    assert [l.number for l in read_lines("\n\n标题\n\n\n正文。\n")] == [3, 6]


@pytest.mark.parametrize("indent", ["\u3000\u3000", "\t", "    "])
def test_indented_paragraph_is_flagged_and_stripped(indent):
    lines = read_lines(f"我市新增就业岗位1.2万个\n{indent}本报讯（记者 王芳）9月5日，消息。\n")
    assert [(l.text, l.indent) for l in lines] == [
        ("我市新增就业岗位1.2万个", False), ("本报讯（记者 王芳）9月5日，消息。", True)]


def test_markdown_heading_levels_and_closing_hashes():
    lines = read_lines("## 稳就业 促增收\n# 我市新增就业岗位 #\n### ——全年目标任务已完成八成\n正文。")
    assert [(l.text, l.level) for l in lines] == [
        ("稳就业 促增收", 2), ("我市新增就业岗位", 1), ("——全年目标任务已完成八成", 3), ("正文。", 0)]


def test_markdown_emphasis_is_dropped_and_a_rule_counts_as_a_blank_line():
    lines = read_lines("市政协**召开**会议。\n---\n下一篇。")
    assert [(l.text, l.gap) for l in lines] == [("市政协召开会议。", True), ("下一篇。", True)]


def test_crlf_and_cr_line_ends():
    assert texts("标题\r\n\r\n正文一。\r正文二。\r\n") == ["标题", "正文一。", "正文二。"]
    assert [l.gap for l in read_lines("标题\r\n\r\n正文一。\r\n正文二。")] == [True, True, False]


def test_bom_zero_width_and_nul_characters_are_removed():
    assert texts("\ufeff集中签约\u200b的项目\x00。") == ["集中签约的项目。"]


def test_continued_from_page_marker_is_removed_and_flagged():
    lines = read_lines("春到并州画图开\n\n（上接第1版）统筹兼顾、灵活施政、有效防控。\n")
    assert lines[1] == Line("统筹兼顾、灵活施政、有效防控。", 3, gap=True, blanks=1, indent=False, level=0,
                            continued=True)


@pytest.mark.parametrize("marker", ["（下转 D2版）", "（下转第2版）", "(转第3版)", "（紧接第一版）"])
def test_page_markers_are_removed_from_the_end_of_a_paragraph(marker):
    assert texts(f"总投资6.08亿元。{marker}\n") == ["总投资6.08亿元。"]


def test_a_line_that_is_only_a_page_marker_disappears_and_leaves_a_gap():
    lines = read_lines("总投资6.08亿元。\n（下转 D2版）\n集中签约的17个项目中。")
    assert [(l.text, l.gap) for l in lines] == [("总投资6.08亿元。", True),
                                                ("集中签约的17个项目中。", True)]


def test_page_markers_of_seed_003_and_004_are_gone(seeds_dir):
    for prefix in ("003", "004"):
        path = next(seeds_dir.glob(f"{prefix}_*.txt"))
        for line in read_lines(path.read_text(encoding="utf-8")):
            assert "下转" not in line.text and "上接" not in line.text


def test_uses_blank_lines():
    blank = "标题\n\n正文一。\n\n正文二。\n\n标题二\n\n正文三。\n"
    indented = "标题\n\u3000\u3000正文一。\n\u3000\u3000正文二。\n标题二\n\u3000\u3000正文三。\n"
    assert uses_blank_lines(read_lines(blank)) is True
    assert uses_blank_lines(read_lines(indented)) is False


@pytest.mark.parametrize("text, name, indented, paragraph_gap", [
    ("标题\n\n正文一，第一段写得很长很长很长，足有二十个字。\n\n正文二，第二段也写得很长很长，足有二十个字。\n\n标题二\n\n正文三，第三段也写得很长很长，足有二十个字。\n",
     "blank-lines", False, 1),
    ("标题\n\n\u3000\u3000正文一，第一段写得很长很长很长，足有二十个字。\n\u3000\u3000正文二，第二段也写得很长很长，足有二十个字。\n\n\n标题二\n\n"
     "\u3000\u3000正文三，第三段也写得很长很长，足有二十个字。\n", "indented", True, 0),
    ("标题\n正文一，第一段写得很长很长很长，足有二十个字。\n正文二，第二段也写得很长很长，足有二十个字。\n标题二\n正文三，第三段也写得很长很长，足有二十个字。\n",
     "plain", False, 0),
    ("# 标题\n\n正文一，第一段写得很长很长很长，足有二十个字。\n\n# 标题二\n\n正文三，第三段也写得很长很长，足有二十个字。\n", "markdown", False, 1),
])
def test_the_layout_of_a_dump_is_detected(text, name, indented, paragraph_gap):
    p = profile(read_lines(text))
    assert (p.name, p.indented, p.paragraph_gap, p.pinned) == (name, indented, paragraph_gap, None)


def test_a_pinned_layout_is_used_as_is():
    p = profile(read_lines("标题\n\n正文一，第一段写得很长很长很长，足有二十个字。\n"), "stream")
    assert (p.name, p.every_headline_starts, p.pinned) == ("stream", True, "stream")


def test_blank_lines_are_counted_but_not_before_the_first_line():
    assert [(l.text, l.blanks) for l in read_lines("\n\n标题\n\n\n正文。\n正文二。")] == [
        ("标题", 0), ("正文。", 2), ("正文二。", 0)]


def test_a_line_indented_with_no_break_spaces_is_indented():
    assert read_lines("\u00a0\u00a0这标志着太原市取得历史性突破。")[0].indent is True
