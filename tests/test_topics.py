"""search/topics.py: one topic per article from the editable lexicon data/topics.txt."""
import pytest

from search.ingest import topics
from search.ingest import parse_file

from builders import by_title, seed_path


def test_topics_of_000(seed):
    assert [a.topic for a in seed("000")] == ["经济", "城建", "教育", "教育", "法治", "民生"]


def test_topics_of_001(seed):
    assert [a.topic for a in seed("001")] == [
        "经济", "安全", "经济", "民生", "科技", "城建", "民生", "城建", "生态", "政务", "政务"]


def test_every_topic_is_one_of_the_eleven(all_seed_items):
    assert {a.topic for a in all_seed_items} <= set(topics.TOPICS)


def test_headline_words_count_three_times():
    assert topics.scores("老旧小区", "")["城建"] == 3 * topics.scores("", "老旧小区")["城建"]


def test_no_word_gives_the_default_topic():
    assert topics.classify("", "今天天气晴朗。") == "民生"


def test_ties_go_to_the_topic_listed_first(data_dir):
    lexicon = data_dir / "topics.txt"
    lexicon.write_text("default: 民生\n[教育]\n学校 2\n[卫生健康]\n医院 2\n", encoding="utf-8")
    topics.lexicon.cache_clear()
    assert topics.classify("", "学校和医院") == "教育"
    lexicon.write_text("default: 民生\n[卫生健康]\n医院 2\n[教育]\n学校 2\n", encoding="utf-8")
    topics.lexicon.cache_clear()
    assert topics.classify("", "学校和医院") == "卫生健康"


# -- the lexicon is data: editing it changes the result without code changes ----------
def edit(folder, old, new):
    path = folder / "topics.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_data_dir_copy_gives_the_same_topics(data_dir):
    items = parse_file(str(seed_path("000")))
    assert by_title(items, "我市开工改造688个老旧小区").topic == "城建"


def test_moving_a_word_to_another_topic_changes_the_topic(data_dir):
    edit(data_dir, "老旧小区 4\n", "")
    edit(data_dir, "[民生]\n", "[民生]\n老旧小区 40\n")
    topics.lexicon.cache_clear()
    items = parse_file(str(seed_path("000")))
    assert by_title(items, "我市开工改造688个老旧小区").topic == "民生"


def test_changing_the_default_topic(data_dir):
    edit(data_dir, "default: 民生", "default: 文旅")
    topics.lexicon.cache_clear()
    assert topics.classify("", "今天天气晴朗。") == "文旅"


def test_new_words_are_normalized_like_the_text(data_dir):
    edit(data_dir, "[文旅]\n", "[文旅]\n圍棋 50\n")       # traditional form in the lexicon
    topics.lexicon.cache_clear()
    assert topics.classify("我市举办围棋比赛", "") == "文旅"


def lexicon_error(data_dir, bad_lines):
    """Append bad_lines to the copied lexicon; return (message, first bad file line number)."""
    path = data_dir / "topics.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + bad_lines) + "\n", encoding="utf-8")
    topics.lexicon.cache_clear()
    with pytest.raises(topics.LexiconError) as e:
        topics.lexicon()
    return str(e.value), len(lines) + 1


def test_unknown_topic_is_a_clear_error(data_dir):
    message, line = lexicon_error(data_dir, ["[娱乐]", "电影 2"])
    assert message == (f"topics.txt: unknown topic [娱乐] (line {line}); "
                       "topics are 经济 城建 民生 教育 卫生健康 政务 科技 文旅 生态 安全 法治")


@pytest.mark.parametrize("weight", ["很多", "nan", "inf", "-2", "0"])
def test_weight_that_is_not_a_positive_number_is_a_clear_error(data_dir, weight):
    message, line = lexicon_error(data_dir, [f"老旧小区 {weight}"])
    assert message == f"topics.txt: weight of '老旧小区' must be a positive number (line {line})"


@pytest.mark.parametrize("word", ["城", "一二三四五六七八九"])
def test_a_word_that_could_never_match_is_a_clear_error(data_dir, word):
    message, line = lexicon_error(data_dir, [f"{word} 2"])
    assert message == f"topics.txt: {word!r} must have 2 to 8 characters (line {line})"


def test_word_before_any_topic_is_an_error():
    with pytest.raises(topics.LexiconError, match=r"word before any \[topic\] \(line 2\)"):
        topics.parse([(1, "default: 民生"), (2, "老旧小区 4")])


def test_missing_or_unknown_default_is_an_error(data_dir):
    edit(data_dir, "default: 民生", "default: 娱乐")
    topics.lexicon.cache_clear()
    with pytest.raises(topics.LexiconError, match=r"`default:` must name one of 经济 城建"):
        topics.lexicon()
