"""search/article.py: the item model and its stable id."""
import hashlib

from search.article import Article, article_id


def test_article_id_is_a_hash_of_the_source_and_the_position():
    digest = hashlib.sha1("000_ac6bb446a57d0c7e.txt".encode("utf-8")).hexdigest()[:10]
    assert article_id("000_ac6bb446a57d0c7e.txt", 1) == f"{digest}-01"
    assert article_id("000_ac6bb446a57d0c7e.txt", 12) == f"{digest}-12"
    assert article_id("2022/09/page.txt", 1) != article_id("2022/10/page.txt", 1)


def test_seed_ids(seed):
    assert [a.id for a in seed("000")][:2] == ["f7f6be5d04-01", "f7f6be5d04-02"]


def test_to_dict_and_back(seed):
    for item in seed("003"):
        assert Article.from_dict(item.to_dict()) == item


def test_from_dict_ignores_unknown_keys(seed):
    item = seed("000")[0]
    assert Article.from_dict(dict(item.to_dict(), score=1.5)) == item
