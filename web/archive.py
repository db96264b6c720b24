"""The app's index: built at startup if only the dumps exist, then one shared Searcher.

The Searcher is thread-safe and notices new commits by itself, so it is opened once per
app (not per request) and `search-index update` shows up on the next request.
"""
import threading

from flask import current_app

from search import config, index, store
from search.errors import NoIndex, SearchError
from search.searching import Searcher


class Archive:
    """Where the index and dumps are, and the one Searcher of an app. `named`: the index
    folder was given (search-web --index), so it is not built on first use."""

    def __init__(self, index_dir, dumps_dir, cluster_file=None, named=False):
        self.index_dir, self.dumps_dir, self.cluster_file = index_dir, dumps_dir, cluster_file
        self.named = named               # given by --index: never built on first use
        self.problem = None              # what was wrong at startup (search-web stops on it)
        self._searcher = None
        self._lock = threading.Lock()

    def start(self, logger):
        """Build the index from the dumps folder where `search` would (first use), and open
        it; a problem is kept in `problem` (search-web stops on it, pages answer 503). No
        index at all is no problem: every page says how to build one. A cluster is loaded
        with `search-index update --cluster`, never here."""
        if self.cluster_file:
            return
        try:
            report = index.build_if_missing(self.index_dir, self.dumps_dir, logger.info, named=self.named)
            store.check(self.index_dir)
        except NoIndex:
            return
        except SearchError as e:
            self.problem = e
            return
        if report:
            for problem in report.skipped:
                logger.warning("skipped %s", problem)
            logger.info("%s", report.summary())

    @property
    def searcher(self):
        """The Searcher, opened on first use: an index built after startup is picked up too.
        NoIndex (every page answers 503 and says how to build one) while there is none."""
        with self._lock:
            if self._searcher is None and self.cluster_file:
                from search.cluster import open_searcher
                self._searcher = open_searcher(self.cluster_file)
            if self._searcher is None:
                if not index.exists(self.index_dir):
                    raise NoIndex(self.index_dir, self.dumps_dir)
                self._searcher = Searcher(self.index_dir)
            return self._searcher

    def health(self):
        """The Searcher, once the index on disk has been checked again (store.check): the
        Searcher keeps answering from the last commit it could open, so a damage done since
        is only seen by looking. (A cluster's shards are asked by the overview /healthz
        gets from it.)"""
        searcher = self.searcher
        if not self.cluster_file:
            store.check(self.index_dir)
        return searcher


def init_app(app):
    cluster_file = None if app.config["INDEX_DIR"] else app.config["CLUSTER"] or config.cluster_file()
    archive = Archive(str(app.config["INDEX_DIR"] or config.index_dir()),
                      str(app.config["DUMPS_DIR"] or config.dumps_dir()), cluster_file,
                      named=app.config["INDEX_DIR"] is not None)
    archive.start(app.logger)
    app.extensions["archive"] = archive


def get_searcher():
    """The current app's Searcher; NoIndex if there is no index to search."""
    return current_app.extensions["archive"].searcher


def healthy_searcher():
    """The current app's Searcher, if the index on disk still opens (see Archive.health)."""
    return current_app.extensions["archive"].health()


def search(params, per_page=None):
    """Run the search of these SearchParams, `per_page` hits a page (default: the app's)."""
    return get_searcher().search(per_page=per_page or current_app.config["PER_PAGE"], **params.search_kwargs())


def all_hits(params):
    """Every hit of the search of these SearchParams, as an iterator (for exports)."""
    return get_searcher().all_hits(**params.all_kwargs())


def get_article(article_id):
    """The stored article with this id; NotFound, or Hidden if it was taken down (ids are
    looked up in the index, never as files)."""
    return get_searcher().find(article_id)
