"""Shared fixtures: the seed dumps and their index, a parser by seed prefix, and helpers to
write dumps; and the hypothesis profiles.

Property tests run a few examples each by default (a developer's run stays short) and many
in CI: `.ci/run` sets `HYPOTHESIS_PROFILE=ci` (`--hypothesis-profile=ci` does the same).
"""
import os
import shutil

import pytest
from hypothesis import settings

from search import data as data_files
from search.ingest import topics

from builders import SEEDS, build_index, parse_seed
from clusters import running_cluster

# No deadline: an example's time depends on the machine's load, not on the code.
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def seeds_dir():
    return SEEDS


@pytest.fixture(scope="session")
def seed():
    """seed("000") → the Articles of seeds/000_*.txt."""
    return parse_seed


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory):
    """The index of the five seed dumps, built once for the tests that only read it."""
    folder = tmp_path_factory.mktemp("seeds") / "index"
    build_index(folder)
    return str(folder)


@pytest.fixture(scope="session")
def seed_cluster(tmp_path_factory):
    """A cluster of 3 shards (searchd on free loopback ports) holding the seed dumps, started
    once and always stopped; skipped, saying why, where searchd is not installed."""
    from search.cluster import loading
    with running_cluster(tmp_path_factory.mktemp("cluster")) as cluster:
        report = loading.update(str(SEEDS), cluster, workers=1)
        assert (report.summary().split(" (")[0], report.articles, report.skipped) == \
            ("5 added, 0 updated, 0 removed", 35, [])
        yield cluster


@pytest.fixture(scope="session")
def all_seed_items():
    return [a for prefix in ("000", "001", "002", "003", "004") for a in parse_seed(prefix)]


@pytest.fixture
def write_dump(tmp_path):
    """write_dump(name, text_or_bytes, encoding="utf-8") → path of a dump file in tmp_path."""
    def write(name, content, encoding="utf-8"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path
    return write


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A copy of search/data/* in a temp folder, used through NEWS_DATA_DIR."""
    folder = tmp_path / "newsdata"
    folder.mkdir()
    for name in data_files.FILES:
        shutil.copy(data_files.path(name), folder / name)
    monkeypatch.setenv("NEWS_DATA_DIR", str(folder))
    topics.lexicon.cache_clear()
    yield folder
    topics.lexicon.cache_clear()
