"""Where things live: the index (or a cluster) and the dumps folder, overridable by environment."""
import os

DEFAULT_INDEX = "index"
DEFAULT_DUMPS = "seeds"


def index_dir():
    return os.environ.get("NEWS_INDEX_DIR") or DEFAULT_INDEX


def cluster_file():
    """The cluster file to use instead of an index folder (env NEWS_CLUSTER), or None."""
    return os.environ.get("NEWS_CLUSTER") or None


def dumps_dir():
    return os.environ.get("NEWS_DUMPS_DIR") or DEFAULT_DUMPS


def source_root(path, dumps=None):
    """The folder a dump's id is keyed under: the dumps folder if it holds the file."""
    dumps = os.path.abspath(dumps or dumps_dir())
    full = os.path.abspath(path)
    if os.path.commonpath([dumps, full]) == dumps and full != dumps:
        return dumps
    return os.path.dirname(full)
