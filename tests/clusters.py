"""Test clusters: searchd shards on free loopback ports in a temp folder, always stopped.

Tests that need searchd skip, saying so, where it is not installed; `.ci/run` installs it
(apt-get install sphinxsearch), so they run in CI.
"""
import contextlib
import shutil

import pytest

from search.cluster import config, daemons

NEEDS_SEARCHD = "searchd is not installed (apt-get install sphinxsearch; .ci/run installs it)"


def require_searchd():
    if not shutil.which("searchd"):
        pytest.skip(NEEDS_SEARCHD)


@contextlib.contextmanager
def running_cluster(folder, shards=3):
    """A cluster of `shards` shards and a front, started in `folder`; stopped on exit,
    whatever happened."""
    require_searchd()
    cluster = config.init(str(folder), shards=shards, port=0)
    try:
        daemons.start(cluster)
        yield cluster
    finally:
        daemons.stop(cluster)
