"""Load test: concurrent clients against a running `search-web`, on this machine only.

    python -m bench.load --url http://127.0.0.1:8000 --clients 8 --seconds 30
    python -m bench.load --serve index --clients 4 --seconds 10 --json load.json
    python -m bench.load --url http://127.0.0.1:8000 --corpus bench/work/corpus-10000 --max-requests 5000

Each client (a thread with its own keep-alive connection) takes queries from the mix in
turn, alternating `/api/search` and `/search`, until --seconds have passed or --max-requests
have been sent in all. The mix is bench.queries' (each word query alone and with a city, a
topic and a date range) when --corpus names a generated corpus, else a built-in list of
everyday queries and filters. An error is a failed connection, a timeout, a status other
than 200, or an API answer that is not the JSON of a search. Reports requests/s, p50/p99
latency and errors (with the first few described); exit code 1 if there were errors.

Only loopback URLs are accepted (127.0.0.0/8, ::1, localhost): this is not a tool to point
at someone else's server. --serve INDEX_DIR starts `search-web` on a free loopback port for
the run and stops it afterwards.
"""
import argparse
import http.client
import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlencode, urlsplit

from .run import percentile

BUILTIN_MIX = [
    {"q": "太忻"}, {"q": "太忻一体化经济区", "city": "忻州"}, {"q": '"三个一批"'}, {"q": "老旧小区改造"},
    {"q": "老旧小区改造", "city": "太原", "sort": "date"}, {"q": "太原 OR 忻州"}, {"q": "(太原 OR 忻州) 项目"},
    {"q": "疫情防控 -核酸"}, {"q": "综改*"}, {"q": "title:开发区"}, {"q": "晋祠", "topic": "文旅"},
    {"q": "项目建设", "from": "2022-01-01", "to": "2022-12-31"}, {"q": "", "topic": "经济"},
    {"q": "", "year": "2022", "month": "9"}, {"q": "教育", "page": "2"}, {"q": "乡村振兴", "city": "吕梁"},
    {"q": "中來"}, {"q": "经济", "city": "太原", "topic": "经济", "sort": "date"},
]
FILTERS = ("city", "topic", "from", "to", "year", "month", "sort", "page")
ERRORS_SHOWN = 5


class Refused(Exception):
    pass


def loopback_only(url):
    """(host, port, base path) of a loopback http:// URL; Refused otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        raise Refused(f"{url}: only http:// URLs on this machine are accepted")
    host = parts.hostname or ""
    try:
        port = parts.port or 80
    except ValueError:
        raise Refused(f"{url}: not a valid port")
    try:
        addresses = {ipaddress.ip_address(host.split("%")[0])}
    except ValueError:                  # a name: only localhost, and only if it resolves to loopback
        if host.lower() != "localhost":
            raise Refused(f"{url}: {host!r} is not a loopback address; bench.load only runs against this machine "
                          "(127.0.0.1, ::1, localhost)")
        try:
            addresses = {ipaddress.ip_address(info[4][0].split("%")[0])
                         for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
        except socket.gaierror as e:
            raise Refused(f"{url}: cannot resolve {host!r} ({e.strerror})")
    for address in addresses:
        if not address.is_loopback:
            raise Refused(f"{url}: {address} is not a loopback address; bench.load only runs against this machine "
                          "(127.0.0.1, ::1, localhost)")
    return host, port, parts.path.rstrip("/")


def corpus_mix(folder):
    """bench.queries' mix for a generated corpus (its dumps are parsed once to pick it)."""
    from search.ingest import parse_file
    from . import queries
    dumps = os.path.join(folder, "dumps") if os.path.isdir(os.path.join(folder, "dumps")) else folder
    names = sorted(n for n in os.listdir(dumps) if n.endswith((".txt", ".text", ".md")))
    if not names:
        sys.exit(f"error: {dumps}: no dumps to take the query mix from")
    print(f"query mix: parsing {len(names)} dumps of {dumps}…", file=sys.stderr, flush=True)
    articles = [a.to_dict() for n in names for a in parse_file(os.path.join(dumps, n), root=dumps)]
    return [{k: v for k, v in q.items() if k == "q" or (k in FILTERS and v)} for q in queries.build(articles)]


def paths(mix, base=""):
    """Request paths: each query of the mix on the API and on the page."""
    out = []
    for q in mix:
        query = urlencode([("q", q.get("q", ""))] + [(k, q[k]) for k in FILTERS if q.get(k)])
        out += [f"{base}/api/search?{query}", f"{base}/search?{query}"]
    return out


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies, self.errors, self.error_count = [], [], 0
        self.sent = 0

    def claim(self, limit):
        """A slot for one more request, or False once `limit` requests were sent."""
        with self.lock:
            if limit and self.sent >= limit:
                return False
            self.sent += 1
            return True

    def record(self, seconds, error=None):
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.error_count += 1
                if len(self.errors) < ERRORS_SHOWN:
                    self.errors.append(error)


def check(path, status, body):
    """None if the answer is right, else what is wrong with it."""
    if status != 200:
        return f"{path}: HTTP {status}: {body[:200].decode('utf-8', 'replace')}"
    if "/api/" in path:
        try:
            answer = json.loads(body)
        except ValueError:
            return f"{path}: not JSON: {body[:200].decode('utf-8', 'replace')}"
        if not isinstance(answer, dict) or not {"query", "total", "hits", "facets"} <= set(answer):
            return f"{path}: not a search answer: {body[:200].decode('utf-8', 'replace')}"
    elif b'id="total"' not in body:
        return f"{path}: not a results page"
    return None


def client(host, port, requests, offset, stats, deadline, limit, timeout):
    connection = None
    k = offset
    while time.monotonic() < deadline and stats.claim(limit):
        path = requests[k % len(requests)]
        k += 1
        started = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            error = check(path, response.status, body)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as e:
            error = f"{path}: {type(e).__name__}: {e}"
            if connection is not None:
                connection.close()
            connection = None
        stats.record(time.perf_counter() - started, error)
    if connection is not None:
        connection.close()


def run(url, clients, seconds, max_requests=None, mix=None, timeout=30.0):
    """Run the load; returns the figures (a dict)."""
    host, port, base = loopback_only(url)
    requests = paths(mix or BUILTIN_MIX, base)
    stats = Stats()
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=client, daemon=True,
                                args=(host, port, requests, i * len(requests) // clients, stats, deadline,
                                      max_requests, timeout))
               for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + timeout + 5)
    elapsed = time.monotonic() - started
    ms = [s * 1000 for s in stats.latencies]
    return {
        "url": url, "clients": clients, "seconds": round(elapsed, 2), "requests": len(ms),
        "requests_per_s": round(len(ms) / elapsed, 1) if elapsed else None,
        "p50_ms": round(percentile(ms, 50), 2) if ms else None,
        "p99_ms": round(percentile(ms, 99), 2) if ms else None,
        "max_ms": round(max(ms), 2) if ms else None,
        "errors": stats.error_count, "first_errors": stats.errors, "queries_in_mix": len(requests) // 2,
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(index_dir, wait=60.0):
    """`search-web` on a free loopback port: (process, URL) once it answers /healthz."""
    if not os.path.isdir(index_dir):
        sys.exit(f"error: --serve {index_dir}: no such index folder")
    here = os.path.dirname(sys.executable)
    exe = shutil.which("search-web", path=here + os.pathsep + os.environ.get("PATH", "")) or "search-web"
    port = free_port()
    log = tempfile.TemporaryFile()          # not a pipe: a full pipe would stall the server
    process = subprocess.Popen([exe, "--host", "127.0.0.1", "--port", str(port), "--index", index_dir],
                               stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return process, url
        except OSError:
            pass
        if process.poll() is not None:
            log.seek(0)
            sys.exit(f"error: search-web stopped: {log.read().decode('utf-8', 'replace').strip()[-500:]}")
        if time.monotonic() > deadline:
            stop(process)
            sys.exit(f"error: search-web did not answer {url}/healthz within {wait:.0f} s")
        time.sleep(0.2)


def stop(process):
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def report(figures):
    lines = [f"{figures['requests']} requests in {figures['seconds']} s from {figures['clients']} clients "
             f"against {figures['url']}: {figures['requests_per_s']} requests/s",
             f"latency p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms",
             f"errors {figures['errors']}"]
    lines += [f"  {e}" for e in figures["first_errors"]]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    target = ap.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="a running search-web on this machine, e.g. http://127.0.0.1:8000")
    target.add_argument("--serve", metavar="INDEX_DIR", help="start search-web on this index for the run")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    ap.add_argument("--seconds", type=float, default=30.0, help="how long to run (default 30)")
    ap.add_argument("--max-requests", type=int, default=None, metavar="N", help="stop after N requests in all")
    ap.add_argument("--corpus", metavar="DIR", help="take the query mix from this generated corpus (bench.queries)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as failed")
    ap.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = ap.parse_args(argv)
    if args.clients < 1 or args.clients > 256:
        ap.error("--clients: between 1 and 256")
    if args.seconds <= 0 or args.seconds > 3600:
        ap.error("--seconds: more than 0, at most 3600")
    if args.max_requests is not None and args.max_requests < 1:
        ap.error("--max-requests: at least 1")
    if args.url:
        try:
            loopback_only(args.url)
        except Refused as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    mix = corpus_mix(args.corpus) if args.corpus else None
    process = None
    url = args.url
    if args.serve:
        process, url = serve(args.serve)
    try:
        figures = run(url, args.clients, args.seconds, args.max_requests, mix, args.timeout)
    finally:
        if process is not None:
            stop(process)
    figures["served"] = bool(args.serve)
    print(report(figures))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(figures, f, ensure_ascii=False, indent=1)
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
