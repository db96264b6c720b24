"""SphinxQL connections (pymysql, imported only by cluster commands) and their errors.

A node that does not answer, or answers with an error, is a SearchError naming the node
and its address, never a pymysql traceback.
"""
import contextlib

from ..errors import IndexUnreadable, SearchError

CONNECT_TIMEOUT = 2.0          # seconds: a node on the same network answers in milliseconds
READ_TIMEOUT = 60.0


class NodeDown(IndexUnreadable):
    """A node did not answer: the index cannot be read (a 503 page, as IndexUnreadable)."""

    def __init__(self, node, reason, hint=""):
        IndexUnreadable.__init__(self, f"{node.name} at {node.address}", reason,
                                 message=f"{node.name} at {node.address} does not answer ({reason}){hint}")
        self.node, self.reason = node, reason


def _pymysql():
    try:
        import pymysql
    except ImportError:
        raise SearchError("the cluster needs pymysql: pip install 'news-search[cluster]'") from None
    return pymysql


def connect(node, hint="", timeout=CONNECT_TIMEOUT):
    """An autocommitting SphinxQL connection to `node`; NodeDown if it does not answer."""
    pymysql = _pymysql()
    try:
        return pymysql.connect(host=node.host, port=node.port, connect_timeout=timeout,
                               read_timeout=READ_TIMEOUT, write_timeout=READ_TIMEOUT,
                               autocommit=True, charset="utf8",
                               client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)
    except pymysql.MySQLError as e:
        raise NodeDown(node, _reason(e), hint) from None


def _reason(error):
    args = getattr(error, "args", ())
    text = str(args[1] if len(args) > 1 else error).strip().rstrip("\x00")
    if "Connection refused" in text:
        return "connection refused"
    if "timed out" in text:
        return "timed out"
    return text.splitlines()[0][:200] if text else type(error).__name__


@contextlib.contextmanager
def answering(node):
    """pymysql errors inside, as SearchErrors naming `node`."""
    pymysql = _pymysql()
    try:
        yield
    except pymysql.OperationalError as e:
        raise NodeDown(node, _reason(e)) from None
    except pymysql.MySQLError as e:
        raise SearchError(f"{node.name} at {node.address}: {_reason(e)}") from None


def rows(conn, node, sql, args=None):
    """The rows of one statement, errors naming `node`."""
    with answering(node):
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall()
