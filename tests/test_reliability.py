"""Nothing lost, nothing crashes: broken dumps, killed updates, updates under load, escaping.

* Bad dumps: a folder of every kind of broken input a paper's system (or a careless copy)
  leaves behind, through `search-index update`, `search-index parse` and the library.
* Killed updates (slow): `search-index update` gets SIGKILL at the points of a first build,
  of an incremental update and of `rebuild` that NEWS_TEST_FAULT names (search.index.faults),
  the main process or the whole group; the index is the old or the new one as the point
  says, no worker is left running, the lock is free and the next update ends as a clean
  build would. (And, in the default run: a worker dies with its parent; a worker never
  holds its parent's lock.)
* Serving while updating (slow): a Searcher, and `search-web` under load, answer every
  request while dumps come and go.
* Memory (slow): a 16 MB dump without punctuation is indexed within 20 times its size.
* The index folder: an --index that does not exist is never built; search-web stops on an
  index it cannot open and /healthz reports damage done later; dates at the calendar's end.
* Security: markup and quotes from dumps are escaped everywhere; path-like ids read nothing;
  the server listens on loopback only.
* `bench/load.py`: refuses other hosts; a short run against the seed index has no errors (slow).
"""
import codecs
import datetime
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from builders import JAPANESE, KOREAN, ROOT, add_dump, build_index, copy_seeds, seed_path
from commands import clean_env, installed as exe, invoke, process as run
from search import formatting, index, store
from search.article import KINDS
from search.errors import DumpError, IndexLocked
from search.ingest import parse_file, parse_text
from search.searching import Searcher
from search.store import folder

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# -- running the real commands ------------------------------------------------------------------

def without_file_permissions():
    """argv prefix that runs a command as root without the capabilities that let root read
    any file (so that chmod 000 means something), or None if that cannot be done here."""
    if not AS_ROOT:
        return ()
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    caps = "-dac_override,-dac_read_search"
    prefix = (setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}", "--")
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


def article_ids(index_dir):
    """Every live article id in the index, as a list (duplicates would show)."""
    ix = store.open_index(str(index_dir))
    with ix.searcher() as s:
        return [d["id"] for d in s.all_stored_fields() if d.get("kind") in KINDS]


# -- bad dumps ----------------------------------------------------------------------------------

def marker_article(marker):
    """An article holding a phrase found nowhere else."""
    return (f"城市发展论坛在并举行\n\n本报讯（记者 王芳）9月5日，城市发展论坛举行，与会专家围绕{marker}"
            f"展开讨论，提出了多项建议。\n\n论坛指出，要坚持以人民为中心的发展思想，推动城市更新行动走深走实。（李明）\n")


def seed_text(prefix, marker):
    return seed_path(prefix).read_text(encoding="utf-8").rstrip("\n") + "\n\n" + marker_article(marker)


def sprinkle_nuls(text, every=150):
    return "".join(text[i:i + every] + "\x00" for i in range(0, len(text), every))


def huge_line(size=20 * 2**20):
    """One line of `size` bytes of real sentences: markers at its start, middle and end."""
    sentences = re.findall(r"[^。！？\n]+[。！？]", seed_path("000").read_text(encoding="utf-8"))
    block = "".join(sentences)
    reps = size // len(block.encode("utf-8"))
    half = reps // 2
    return ("本报讯 9月5日，检索标记鲲鹏开篇。" + block * half + "检索标记鹍鹏中段。" + block * (reps - half)
            + "文末出现检索标记貔貅。" + "城市更新行动走深走实。" * 3)


HUGE_MARKERS = ("检索标记鲲鹏", "检索标记鹍鹏", "检索标记貔貅")


def html_dump(paragraphs):
    return "<html><body>\n" + "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "\n</body></html>\n"


HTML_PARAGRAPHS = ["城市发展论坛在并举行",
                   "本报讯（记者 王芳）9月5日，城市发展论坛举行，与会专家围绕检索标记狻猊展开讨论，提出了多项建议。",
                   "论坛指出，要坚持“以人民为中心”的发展思想，推动城市更新行动走深走实 & 见实效。（李明）"]
HEADLINES = "本版导读\n\n检索标记獬豸专题报道\n\n晋中召开工作会议\n\n太原市举办城市发展论坛\n"


def good_dumps():
    """name → (bytes written, text the parser must see, marker phrase or None)."""
    no_blank = "\n".join(line for line in seed_text("001", "检索标记麒麟").split("\n") if line.strip()) + "\n"
    truncated = marker_article("检索标记蓝鲸").rstrip("\n").removesuffix("（李明）")   # ends with 。
    nul = seed_text("000", "检索标记饕餮")
    dumps = {
        "gb18030.txt": (seed_text("000", "检索标记赤兔").encode("gb18030"), seed_text("000", "检索标记赤兔"), "检索标记赤兔"),
        "gbk.txt": (seed_text("001", "检索标记青鸾").encode("gbk"), seed_text("001", "检索标记青鸾"), "检索标记青鸾"),
        "utf16.txt": (seed_text("002", "检索标记白泽").encode("utf-16"), seed_text("002", "检索标记白泽"), "检索标记白泽"),
        "utf16be.txt": (codecs.BOM_UTF16_BE + seed_text("003", "检索标记白鹿").encode("utf-16-be"),
                        seed_text("003", "检索标记白鹿"), "检索标记白鹿"),
        "utf8bom.txt": (codecs.BOM_UTF8 + seed_text("003", "检索标记玄武").encode(), seed_text("003", "检索标记玄武"), "检索标记玄武"),
        "crlf.txt": (seed_text("004", "检索标记朱雀").replace("\n", "\r\n").encode(), seed_text("004", "检索标记朱雀"), "检索标记朱雀"),
        "truncated.txt": (truncated.encode()[:-1], truncated[:-1], "检索标记蓝鲸"),     # cut inside the last 。
        "nul.txt": (sprinkle_nuls(nul).encode(), nul, "检索标记饕餮"),
        "noblank.txt": (no_blank.encode(), no_blank, "检索标记麒麟"),
        "headlines.txt": (HEADLINES.encode(), HEADLINES, "检索标记獬豸"),
        "html.txt": (html_dump(HTML_PARAGRAPHS).encode(), "\n\n".join(HTML_PARAGRAPHS), "检索标记狻猊"),
        "empty.txt": (b"", "", None),
        "blank.txt": (" \n\t\n\r\n\u3000\u3000\n   ".encode(), "", None),
        "folder.txt/inner.txt": (marker_article("检索标记重明").encode(), marker_article("检索标记重明"), "检索标记重明"),
    }
    assert nul.count("\x00") == 0 and sprinkle_nuls(nul).count("\x00") > 20
    return dumps


def make_bad_corpus(folder, huge=True, locked=True):
    """Write the corpus into `folder`; returns (good dumps, names of the bad ones → reason
    as `search-index update` states it, None where the wording is not fixed yet)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    good = good_dumps()
    if huge:
        text = huge_line()
        good["huge.txt"] = (text.encode(), text, HUGE_MARKERS[-1])
    for name, (data, _, _) in good.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    bad = {
        "png.txt": "not a text dump: it is a PNG image",
        "fifo.txt": None,                                         # a reader would wait forever
        "loop": "symbolic link loop, skipped",
        "a.txt": "cannot follow: Too many levels of symbolic links",
        "b.txt": "cannot follow: Too many levels of symbolic links",
        "passwd.txt": "symbolic link out of the dumps folder (to /etc/passwd)",     # never indexed, never served
        "etc": "symbolic link out of the dumps folder (to /etc)",
        "korean.txt": "not text in UTF-8, UTF-16 or GB18030: it reads as Korean (EUC-KR); save it as UTF-8 to index it",
        "japanese.txt": "not text in UTF-8, UTF-16 or GB18030: it reads as Japanese (Shift-JIS); save it as UTF-8 to index it",
    }
    (folder / "korean.txt").write_bytes(KOREAN.encode("euc_kr"))
    (folder / "japanese.txt").write_bytes(JAPANESE.encode("shift_jis"))
    (folder / "png.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    os.mkfifo(folder / "fifo.txt")
    os.symlink(".", folder / "loop")
    os.symlink("b.txt", folder / "a.txt")
    os.symlink("a.txt", folder / "b.txt")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink("/etc", folder / "etc")
    if locked:
        (folder / "locked.txt").write_bytes(marker_article("检索标记上锁").encode())
        (folder / "locked.txt").chmod(0)
        bad["locked.txt"] = "Permission denied"
    return good, bad


def expected_articles(good):
    """id → article dict of every good dump, parsed from the text the decoder must produce."""
    out = {}
    for name, (_, text, _) in good.items():
        for a in parse_text(text, name):
            out[a.id] = a.to_dict()
    return out


def assert_skipped_lines(lines, bad):
    """One line per bad dump naming it and the reason, nothing else."""
    named = {}
    for line in lines:
        m = re.fullmatch(r"skipped (\S+): (.+)", line)
        assert m, f"not a `skipped NAME: reason` line: {line!r}"
        assert m.group(1) not in named, f"{m.group(1)} reported twice"
        named[m.group(1)] = m.group(2)
    assert set(named) == set(bad), f"reported {sorted(named)}, expected {sorted(bad)}"
    for name, reason in bad.items():
        if reason is not None:
            assert named[name] == reason, (name, named[name])


def assert_markers_found(index_dir, good):
    with Searcher(str(index_dir)) as s:
        for name, (_, _, marker) in good.items():
            if marker:
                r = s.search(f'"{marker}"', per_page=100)
                assert r.total >= 1 and {h.source for h in r.hits} == {name}, (name, marker, r.total)
                assert all(f"<mark>{marker}</mark>" in formatting.html(h.marked_title) + formatting.html(h.snippet) for h in r.hits), (name, marker)
        if "huge.txt" in good:
            for marker in HUGE_MARKERS:
                r = s.search(f'"{marker}"')
                assert [h.source for h in r.hits] == ["huge.txt"], (marker, r.total)


@pytest.mark.parametrize("huge", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["without-the-20-MB-line", "with-a-20-MB-line"])
def test_update_command_indexes_every_readable_dump_and_names_each_bad_one(tmp_path, huge):
    prefix = without_file_permissions()
    good, bad = make_bad_corpus(tmp_path / "dumps", huge=huge, locked=prefix is not None)
    r = run("search-index", "update", tmp_path / "dumps", "--index", tmp_path / "ix", prefix=prefix or (), timeout=600)
    assert "Traceback" not in r.stderr + r.stdout
    assert r.returncode == 1, r.stderr
    assert_skipped_lines(r.stderr.splitlines(), bad)
    expected = expected_articles(good)
    assert re.fullmatch(rf"{len(good)} added, 0 updated, 0 removed, {len(bad)} skipped "
                        rf"\({len(expected)} articles, \d+\.\d s\)\n", r.stdout), r.stdout
    assert sorted(article_ids(tmp_path / "ix")) == sorted(expected)

    # Each good dump's phrase is found by `search`, in that dump and no other.
    markers = {m: name for name, (_, _, m) in good.items() if m}
    query = " OR ".join(f'"{m}"' for m in list(markers) + list(HUGE_MARKERS))
    found = invoke("search", query, "--json", "--limit", "100", "--index", tmp_path / "ix")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)["hits"]
    assert {h["source"] for h in hits} == set(markers.values())
    assert_markers_found(tmp_path / "ix", good)

    # The 20 MB line may be cut into parts; together they hold all of its text, in order.
    if not huge:
        return
    with Searcher(str(tmp_path / "ix")) as s:
        parts = sorted((s.article(i) for i in expected if expected[i]["source"] == "huge.txt"), key=lambda a: a["seq"])
    assert parts and "".join(a["body"] for a in parts) == good["huge.txt"][1].removeprefix("本报讯 ")


def test_library_update_reports_each_bad_dump_and_indexes_the_rest(tmp_path):
    # As root a chmod 000 file is readable in this process: the FIFO is the unreadable one here
    # (the command test above drops root's file capabilities to cover chmod 000 too).
    # The 20 MB line goes through the command in the slow test above (once is enough: ~10 s).
    good, bad = make_bad_corpus(tmp_path / "dumps", huge=False, locked=not AS_ROOT)
    report = index.update(str(tmp_path / "dumps"), str(tmp_path / "ix"))
    assert_skipped_lines([f"skipped {e}" for e in report.skipped], bad)
    assert all(isinstance(e, DumpError) and e.path in bad for e in report.skipped)
    assert sorted(report.added) == sorted(good)
    assert (report.updated, report.removed) == ([], [])
    expected = expected_articles(good)
    assert report.articles == len(expected) and report.dumps == len(good)
    assert sorted(article_ids(tmp_path / "ix")) == sorted(expected)
    assert_markers_found(tmp_path / "ix", good)
    # A second run changes nothing and still names the bad dumps.
    again = index.update(str(tmp_path / "dumps"), str(tmp_path / "ix"))
    assert not again.changed and again.articles == len(expected)
    assert_skipped_lines([f"skipped {e}" for e in again.skipped], bad)


def test_decoded_dumps_give_the_articles_of_their_clean_text(tmp_path):
    """Encoding, BOM, CRLF, NULs, a cut last character, HTML: the same articles as clean UTF-8."""
    good, _ = make_bad_corpus(tmp_path / "dumps", huge=False, locked=False)
    problems = []
    for name, (_, text, marker) in good.items():
        got = [a.to_dict() for a in parse_file(str(tmp_path / "dumps" / name), root=str(tmp_path / "dumps"))]
        if got != [a.to_dict() for a in parse_text(text, name)]:
            problems.append(f"{name}: not the articles of its text as clean UTF-8")
        if text.strip() and not got:
            problems.append(f"{name}: no item at all from a dump with text")
        elif marker and not any(marker in (a["title"] or "") + a["body"] for a in got):
            problems.append(f"{name}: {marker} is in no item")
    assert problems == []


def test_parse_command_prints_readable_dumps_and_one_line_per_bad_file(tmp_path):
    prefix = without_file_permissions()
    good, _ = make_bad_corpus(tmp_path / "dumps", huge=False, locked=prefix is not None)
    d = tmp_path / "dumps"
    order = ["gb18030.txt", "png.txt", "utf16.txt", "folder.txt", "truncated.txt", "a.txt", "loop",
             "html.txt", "nul.txt", "empty.txt", "headlines.txt", "crlf.txt", "gone.txt"]
    reasons = {"png.txt": "not a text dump: it is a PNG image", "folder.txt": "is a folder, not a dump file",
               "a.txt": "Too many levels of symbolic links", "loop": "is a folder, not a dump file",
               "gone.txt": "no such file"}
    if prefix is not None:
        order.insert(3, "locked.txt")
        reasons["locked.txt"] = "permission denied"
    r = run("search-index", "parse", *[d / n for n in order], prefix=prefix or (), timeout=120)
    assert "Traceback" not in r.stderr
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"skipped {d / n}: {reasons[n]}" for n in order if n in reasons]
    printed = [json.loads(line) for line in r.stdout.splitlines()]
    expected = [a.to_dict() for n in order if n not in reasons for a in parse_text(good[n][1], n)]
    assert printed == expected


def test_parse_command_does_not_wait_on_a_fifo(tmp_path):
    """A named pipe called .txt: reading it would block until someone writes. It must be
    named as not a dump, at once."""
    os.mkfifo(tmp_path / "pipe.txt")
    good = tmp_path / "good.txt"
    good.write_text(marker_article("检索标记乘黄"), encoding="utf-8")
    try:
        r = run("search-index", "parse", good, tmp_path / "pipe.txt", timeout=120)     # a hang, not a speed
    except subprocess.TimeoutExpired:
        pytest.fail("`search-index parse pipe.txt` (a FIFO) hangs waiting for a writer")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"skipped {tmp_path / 'pipe.txt'}: "), lines
    assert [json.loads(line)["id"] for line in r.stdout.splitlines()] == [a.id for a in parse_text(good.read_text(), "good.txt")]


def text_without_punctuation(size, one_line):
    """`size` bytes of the seed dumps' hanzi with everything else removed: paragraphs of
    unbroken characters, or one line."""
    text = re.sub(r"[^\u4e00-\u9fff\n]", "", "".join(seed_path(p).read_text(encoding="utf-8") for p in
                                                       ("000", "001", "002", "003", "004")))
    text = text.replace("\n", "") if one_line else re.sub(r"\n+", "\n\n", text)
    return (text * (size // len(text.encode()) + 1)).encode()[:size // 3 * 3]


MEMORY_DUMP = 16 * 2**20


@pytest.mark.slow
@pytest.mark.parametrize("one_line", [False, True], ids=["paragraphs", "one-line"])
def test_a_dump_without_punctuation_is_indexed_within_20_times_its_size(tmp_path, one_line):
    """The process that parses and indexes a dump (an update's worker, or the update
    itself for a few dumps) peaks under 20 times the dump's size plus 200 MB."""
    (tmp_path / "dumps").mkdir()
    (tmp_path / "dumps" / "plain.txt").write_bytes(text_without_punctuation(MEMORY_DUMP, one_line))
    process = subprocess.Popen([exe("search-index"), "update", str(tmp_path / "dumps"), "--index", str(tmp_path / "ix")],
                               cwd=tmp_path, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)          # its own peak, not any other child's
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    assert process.returncode == 0, output
    peak = usage.ru_maxrss * 1024
    print(f"\n{MEMORY_DUMP / 2**20:.0f} MB without punctuation ({'one line' if one_line else 'paragraphs'}): "
          f"peak {peak / 2**20:.0f} MB")
    assert peak <= 20 * MEMORY_DUMP + 200 * 2**20
    assert output.startswith("1 added, 0 updated, 0 removed (")


# -- killed updates ----------------------------------------------------------------------------------

KILL_ARTICLES = 1000                  # ~150 dumps of bench.corpus


def processes_in_group(pgid):
    """Live (not zombie) processes of a process group."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            found.append(int(pid))
    return found


def wait_until_gone(pgid, seconds=60):
    """The processes of the group still alive after they have had `seconds` to go (a bound
    on a wait, not a measurement: a process that should go goes at once)."""
    deadline = time.monotonic() + seconds
    while processes_in_group(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return processes_in_group(pgid)


PARENT_AND_WORKER = """
import multiprocessing, os, signal, sys
from search.index import locking, workers

index_dir, kind = sys.argv[1], sys.argv[2]
workers._parse = lambda job: signal.pause()          # a dump that takes forever to parse
context = multiprocessing.get_context("fork")
jobs, results = context.Queue(), context.Queue()
jobs.put(("slow.txt", "slow.txt", "."))


def say_pid_and_wait():
    print(os.getpid(), flush=True)                   # running: its fork handlers have run
    signal.pause()


with locking.update_lock(index_dir):
    if kind == "worker":        # an index worker, busy with its dump
        child = context.Process(target=workers._index_worker, args=(index_dir, jobs, results, os.getpid()))
        child.start()
        print(child.pid, flush=True)
    else:                       # any forked child, once it runs
        child = context.Process(target=say_pid_and_wait)
        child.start()
    signal.pause()
"""


@pytest.fixture
def parent_and_worker(tmp_path):
    """start(kind) → (parent process, child pid): a process holding the update lock of an
    index, and a child it forked ("worker": an index worker parsing a dump that never
    ends; "child": a process that waits), both waiting forever."""
    build_index(tmp_path / "index", copy_seeds(tmp_path / "dumps", prefixes={"000"}))
    started = []

    def start(kind):
        parent = subprocess.Popen([sys.executable, "-c", PARENT_AND_WORKER, str(tmp_path / "index"), kind],
                                  stdout=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True)
        started.append(parent)
        return parent, int(parent.stdout.readline())
    yield start
    for parent in started:
        if processes_in_group(parent.pid):
            os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()
        parent.stdout.close()


def test_a_worker_dies_with_its_parent(parent_and_worker):
    """The worker, busy with a dump, would work on: the kernel ends it when its parent is
    killed (PR_SET_PDEATHSIG). How fast: `python -m bench.pdeath`."""
    parent, worker = parent_and_worker("worker")
    assert processes_in_group(parent.pid) == sorted([parent.pid, worker])
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    assert wait_until_gone(parent.pid) == []


def test_the_lock_of_a_killed_update_is_free_even_while_its_child_lives(parent_and_worker, tmp_path):
    """An flock is shared with forked children: a child must not keep its parent's lock."""
    parent, worker = parent_and_worker("child")
    with pytest.raises(IndexLocked, match=rf"an update is already running \(pid {parent.pid}\)"):
        with index.update_lock(str(tmp_path / "index"), wait=False):
            pass
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    assert processes_in_group(parent.pid) == [worker]
    with index.update_lock(str(tmp_path / "index"), wait=False):
        pass


def mutate(dumps, extra):
    """The incremental change: some dumps removed, some changed, some added."""
    names = sorted(os.listdir(dumps))
    for name in names[:10]:
        os.remove(os.path.join(dumps, name))
    for k, name in enumerate(names[10:20]):
        with open(os.path.join(dumps, name), "a", encoding="utf-8") as f:
            f.write("\n\n" + marker_article(f"更正启事第{k}号"))
    for name in sorted(os.listdir(extra))[:30]:
        shutil.copy(os.path.join(extra, name), os.path.join(dumps, name.replace(".txt", "_extra.txt")))


def update_command(dumps, ix, *args):
    r = run("search-index", "update", dumps, "--index", ix, *args, cwd=dumps.parent)
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def killing(tmp_path_factory):
    """Dumps before (A) and after (B) the incremental change, the index of A and of A then
    B, and the ids a clean build of each gives."""
    from bench import corpus
    base = tmp_path_factory.mktemp("killing")
    corpus.generate(str(base / "corpus"), KILL_ARTICLES)
    corpus.generate(str(base / "extra"), 200, seed=corpus.SEED + 1)
    a, b = base / "A", base / "B"
    shutil.copytree(base / "corpus" / "dumps", a)
    shutil.copytree(a, b)
    mutate(b, base / "extra" / "dumps")
    update_command(a, base / "index-A")
    update_command(b, base / "clean-B")
    shutil.copytree(base / "index-A", base / "index-A-then-B")
    update_command(b, base / "index-A-then-B")
    ids = {"A": sorted(article_ids(base / "index-A")), "B": sorted(article_ids(base / "clean-B"))}
    assert ids["A"] != ids["B"] and len(set(ids["A"])) == len(ids["A"]) > 1000
    assert sorted(article_ids(base / "index-A-then-B")) == ids["B"]       # updating A gives a clean build of B
    return dict(base=base, A=a, B=b, ids=ids)


def killed_at(fault, args, cwd):
    """Run `search-index ARGS` with NEWS_TEST_FAULT=fault (a kill at a point it reaches);
    returns its process group once its main process is dead."""
    process = subprocess.Popen([exe("search-index"), *map(str, args)], cwd=cwd, env=clean_env(NEWS_TEST_FAULT=fault),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == -signal.SIGKILL, f"{fault}: not killed there (exit {process.returncode}): {stderr}"
    return process.pid


def check_after_kill(ix, dumps, expected_ids, pgid, expected_state, states):
    """What must hold after a killed update: no process left, the index as `states` names
    `expected_state` (None: no index), the lock free (--no-wait), and the next update ends
    as a clean build with nothing left behind."""
    assert wait_until_gone(pgid) == [], "worker processes still running after the update was killed"
    if states[expected_state] is None:
        assert not index.exists(str(ix)), "a killed first build left an index"
    else:
        ids = sorted(article_ids(ix))
        state = next((name for name, expected in states.items() if ids == expected), f"{len(ids)} articles")
        assert state == expected_state
        r = run("search", "太原", "--index", ix, cwd=dumps.parent)
        assert r.returncode in (0, 1), r.stderr
    r = update_command(dumps, ix, "--no-wait")
    assert "already running" not in r.stderr
    ids = article_ids(ix)
    assert len(ids) == len(set(ids)), "an article twice"
    assert sorted(ids) == expected_ids
    r = run("search", "--json", "--limit", "1", "--index", ix, cwd=dumps.parent)
    assert r.returncode == 0 and json.loads(r.stdout)["total"] == len(expected_ids)
    live = folder.commit_files(str(ix))
    assert [n for n in os.listdir(ix) if n not in live and n not in (".update.lock", "MAIN_WRITELOCK")] == []
    assert sorted(os.listdir(ix.parent)) == ["dumps", "index"]


# (fault, the state it leaves): `kill` kills the main process (from a worker: its parent,
# which orphans the worker), `killall` the whole process group.
FIRST_BUILD_KILLS = [("parsed:kill", "none"), ("parsed:killall:30", "none"), ("segment-written:kill", "none"),
                     ("before-commit:killall", "none"), ("toc-written:kill", "new"), ("committed:killall", "new")]
UPDATE_KILLS = [("parsed:kill", "old"), ("parsed:killall:10", "old"), ("segment-written:kill", "old"),
                ("before-commit:killall", "old"), ("merged:kill", "old"), ("committed:kill", "new")]
REBUILD_KILLS = [("parsed:kill:20", "old"), ("before-commit:kill", "old"), ("toc-written:killall", "new")]


@pytest.mark.slow
@pytest.mark.parametrize("fault,state", FIRST_BUILD_KILLS, ids=[f for f, _ in FIRST_BUILD_KILLS])
def test_a_killed_first_build_leaves_no_index_or_a_whole_one(killing, tmp_path, fault, state):
    dumps, ix = tmp_path / "dumps", tmp_path / "index"
    shutil.copytree(killing["A"], dumps)
    pgid = killed_at(fault, ["update", dumps, "--index", ix], tmp_path)
    check_after_kill(ix, dumps, killing["ids"]["A"], pgid, state, {"new": killing["ids"]["A"], "none": None})


@pytest.mark.slow
@pytest.mark.parametrize("fault,state", UPDATE_KILLS, ids=[f for f, _ in UPDATE_KILLS])
def test_a_killed_incremental_update_leaves_the_old_or_the_new_index(killing, tmp_path, fault, state):
    dumps, ix = tmp_path / "dumps", tmp_path / "index"
    shutil.copytree(killing["B"], dumps)                      # copies keep their mtimes
    shutil.copytree(killing["base"] / "index-A", ix)
    pgid = killed_at(fault, ["update", dumps, "--index", ix], tmp_path)
    check_after_kill(ix, dumps, killing["ids"]["B"], pgid, state, {"old": killing["ids"]["A"], "new": killing["ids"]["B"]})


@pytest.mark.slow
@pytest.mark.parametrize("fault,state", REBUILD_KILLS, ids=[f for f, _ in REBUILD_KILLS])
def test_a_killed_rebuild_leaves_the_old_index_answering(killing, tmp_path, fault, state):
    """`search-index rebuild` of an index of B with B's dumps plus one: killed before its
    commit the old index answers, after it the new one."""
    dumps, ix = tmp_path / "dumps", tmp_path / "index"
    shutil.copytree(killing["B"], dumps)
    shutil.copytree(killing["base"] / "index-A-then-B", ix)
    add_dump(dumps, "2022-09-06_taiyuan_p21.txt", marker_article("检索标记重建"))
    new = sorted(killing["ids"]["B"] + [a.id for a in parse_text(marker_article("检索标记重建"), "2022-09-06_taiyuan_p21.txt")])
    pgid = killed_at(fault, ["rebuild", dumps, "--index", ix], tmp_path)
    check_after_kill(ix, dumps, new, pgid, state, {"old": killing["ids"]["B"], "new": new})


# -- serving while dumps come and go (slow) ------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`search-web` as a child process on a free loopback port."""

    def __init__(self, index_dir, tmp_path):
        self.port = free_port()
        self.log = open(tmp_path / f"search-web-{self.port}.log", "wb")
        self.process = subprocess.Popen([exe("search-web"), "--port", str(self.port), "--index", str(index_dir)],
                                        stdout=self.log, stderr=subprocess.STDOUT, env=clean_env(), cwd=tmp_path,
                                        start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120             # bounds a hang; it answers within a second or two
        while True:
            try:
                if self.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert self.process.poll() is None, "search-web stopped"
            assert time.monotonic() < deadline, "search-web did not answer within 120 s"
            time.sleep(0.2)

    def get(self, path, timeout=30):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def total(self, q):
        status, body = self.get("/api/search?" + urlencode({"q": q}))
        assert status == 200, body
        return json.loads(body)["total"]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


LOAD_QUERIES = ["太忻", "综改*", "老旧小区改造", "太*", '"三个一批"', "的", "太原 OR 忻州", "", "检索标记夜游", "检索标记晨练"]
LOAD_CYCLES = 4                      # a dump added, then removed, each through `search-index update`


def load_loop(server, stop, failures, counts):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    k = 0
    while not stop.is_set():
        q = LOAD_QUERIES[k % len(LOAD_QUERIES)]
        path = ("/api/search?" if k % 2 == 0 else "/search?") + urlencode({"q": q})
        k += 1
        counts["sent"] += 1
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                failures.append(f"{path}: HTTP {response.status}")
            elif path.startswith("/api/"):
                answer = json.loads(body)
                assert set(answer) == {"query", "total", "page", "pages", "limit", "hits", "facets", "partial", "aliases", "suggestions"}
            elif b'id="total"' not in body:
                failures.append(f"{path}: not a results page")
        except Exception as e:                   # noqa: BLE001 - every failure is recorded
            failures.append(f"{path}: {type(e).__name__}: {e}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.close()


def wait_for(predicate, what, seconds=120):
    """Wait for `predicate` (progress of other threads, not a moment in time); `seconds`
    only bounds a hang."""
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"{what}: still not after {seconds} s"
        time.sleep(0.01)


@pytest.mark.slow
def test_searches_running_while_updates_commit_never_fail(tmp_path):
    """The library alone: threads searching one Searcher while commits land (each search may
    see the old or the new commit, but must answer)."""
    dumps = Path(copy_seeds(tmp_path / "dumps"))
    ix = tmp_path / "index"
    build_index(ix, dumps)
    errors, stop, done = [], threading.Event(), [0]
    with Searcher(str(ix)) as searcher:
        def loop():
            k = 0
            while not stop.is_set():
                q = LOAD_QUERIES[k % len(LOAD_QUERIES)]
                k += 1
                done[0] += 1
                try:
                    r = searcher.search(q)
                    assert r.total >= 0
                except Exception as e:              # noqa: BLE001 - every failure is recorded
                    errors.append(f"{q}: {type(e).__name__}: {e}")
        threads = [threading.Thread(target=loop) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            def commit():
                index.update(str(dumps), str(ix), workers=1)
                target = done[0] + 8                # searches overlapping this commit and the next
                wait_for(lambda: done[0] >= target, "searches after a commit")

            for k in range(8):
                add_dump(dumps, "2022-09-06_taiyuan_p21.txt", marker_article(f"检索标记第{k}轮"))
                commit()
                assert searcher.search(f'"检索标记第{k}轮"').total == 1
                os.remove(dumps / "2022-09-06_taiyuan_p21.txt")
                commit()
                assert searcher.search(f'"检索标记第{k}轮"').total == 0
        finally:
            stop.set()
            for t in threads:
                t.join(60)
    print(f"\n{done[0]} searches during 16 commits, {len(errors)} failed: {sorted(set(e.split(': ')[1] for e in errors))}")
    assert errors == [], errors[:5]


FIRST_SEARCHES = """
import json, sys, threading
from search.searching import Searcher
searcher = Searcher(sys.argv[1])
barrier, errors = threading.Barrier(8), []
def first(q):
    barrier.wait()
    try:
        searcher.search(q)
    except Exception as e:
        errors.append(f"{q}: {type(e).__name__}: {e}")
threads = [threading.Thread(target=first, args=(q,)) for q in
           ["太忻 项目", "(太原 OR 忻州) 项目", "老旧小区改造", "综改*", "经济区建设", "太原 -疫情", "一体化发展", "晋祠"]]
[t.start() for t in threads]
[t.join() for t in threads]
print(json.dumps(errors, ensure_ascii=False))
"""


@pytest.mark.slow
def test_the_first_searches_of_a_new_process_may_come_at_once(tmp_path):
    """A fresh server gets its first requests together: the word cutter, set up on first
    use, must not be set up by several threads at the same time."""
    ix = tmp_path / "index"
    build_index(ix)
    errors = []
    for _ in range(6):
        r = subprocess.run([sys.executable, "-c", FIRST_SEARCHES, str(ix)], capture_output=True, text=True,
                           cwd=tmp_path, timeout=120)
        assert r.returncode == 0, r.stderr
        errors += json.loads(r.stdout)
    for _ in range(3):
        server = Server(ix, tmp_path)
        statuses = []
        barrier = threading.Barrier(8)

        def first(q):
            barrier.wait()
            statuses.append((q, server.get("/search?" + urlencode({"q": q}))[0]))
        try:
            threads = [threading.Thread(target=first, args=(q,)) for q in ["太忻 项目", "(太原 OR 忻州) 项目", "老旧小区改造",
                                                                         "综改*", "经济区建设", "太原 -疫情", "一体化", "晋祠"]]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
        finally:
            server.stop()
        errors += [f"{q}: HTTP {status}" for q, status in statuses if status != 200]
        assert len(statuses) == 8
    assert errors == [], errors[:5]


@pytest.mark.slow
def test_the_server_answers_every_request_while_dumps_come_and_go(tmp_path):
    dumps = Path(copy_seeds(tmp_path / "dumps"))
    ix = tmp_path / "index"
    build_index(ix, dumps)
    server = Server(ix, tmp_path)
    stop, failures, counts = threading.Event(), [], {"sent": 0}
    clients = [threading.Thread(target=load_loop, args=(server, stop, failures, counts)) for _ in range(4)]
    morning = marker_article("检索标记晨练")
    started = time.monotonic()
    try:
        for t in clients:
            t.start()

        def update(*extra, command="update"):
            """An update while the clients search; then the next request sees it, and the
            clients have sent more requests (load between every two updates, on any machine)."""
            sent = counts["sent"]
            r = run("search-index", command, dumps, "--index", ix, *extra, cwd=tmp_path)
            assert r.returncode == 0, r.stderr
            wait_for(lambda: counts["sent"] >= sent + 20, "requests during and after an update")

        for k in range(LOAD_CYCLES):
            marker = f"检索标记夜游第{k}轮"
            add_dump(dumps, "2022-09-06_taiyuan_p21.txt", marker_article(marker))
            update()
            assert server.total(f'"{marker}"') == 1, "an added dump"
            os.remove(dumps / "2022-09-06_taiyuan_p21.txt")
            update()
            assert server.total(f'"{marker}"') == 0, "a removed dump"

        # Two updates at once (one waits for the other's lock).
        add_dump(dumps, "2022-09-06_taiyuan_p22.txt", morning)
        both = [subprocess.Popen([exe("search-index"), "update", str(dumps), "--index", str(ix)], env=clean_env(),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        assert [p.wait(600) for p in both] == [0, 0], [p.stderr.read() for p in both]
        assert server.total('"检索标记晨练"') == 1, "a dump added by one of two updates"

        update(command="rebuild")
        assert server.total('"检索标记晨练"') == 1
        assert json.loads(server.get("/healthz")[1])["articles"] == 35 + 1

        os.remove(dumps / "2022-09-06_taiyuan_p22.txt")
        update()
        assert server.total('"检索标记晨练"') == 0, "the second dump removed"
        assert json.loads(server.get("/healthz")[1])["articles"] == 35
    finally:
        stop.set()
        for t in clients:
            t.join(60)
        server.stop()
    print(f"\n{counts['sent']} requests in {time.monotonic() - started:.1f} s of updates, {len(failures)} failed")
    assert failures == [], failures[:5]


# -- dates at the end of the calendar ------------------------------------------------------------

def test_the_last_month_of_the_calendar_is_a_date_range_not_a_crash(seed_index):
    """`--to 9999-12` ends on 9999-12-31 (its month's last day found without date arithmetic
    that overflows); the web's year=9999&month=12 is a period with no articles, not a 500."""
    from web import create_app
    with Searcher(seed_index) as s:
        dated = [h.id for h in s.search("太原", date_to=datetime.date(9999, 12, 31), per_page=100).hits]
        assert dated and len(dated) == s.search("太原", date_from="0001", per_page=100).total
    r = invoke("search", "太原", "--to", "9999-12", "--json", "--limit", "100", "--index", seed_index)
    assert (r.returncode, r.stderr) == (0, "")
    assert [h["id"] for h in json.loads(r.stdout)["hits"]] == dated
    r = invoke("search", "太原", "--from", "9999-12", "--index", seed_index)
    assert r.returncode == 1 and r.stdout.startswith("no articles for “太原”, from 9999-12-01 to")
    assert "Traceback" not in r.stderr
    client = create_app(seed_index, {"TESTING": True}).test_client()
    answer = client.get("/api/search?" + urlencode({"q": "太原", "to": "9999-12", "page": "1"}))
    assert answer.status_code == 200
    assert [h["id"] for h in answer.get_json()["hits"]] == dated[:10]
    assert answer.get_json()["total"] == len(dated)
    for query in ({"q": "太原", "year": "9999", "month": "12"}, {"q": "太原", "year": "9999"},
                  {"q": "", "from": "9999-12", "to": "9999-12"}):
        page = client.get("/search?" + urlencode(query))
        assert page.status_code == 200, query
        assert '<strong id="total">0</strong>' in page.get_data(as_text=True), query


# -- the index folder: named on the command line, damaged -------------------------------------------

def test_an_index_named_on_the_command_line_is_never_built_on_first_use(tmp_path):
    """A typo in --index is an error naming it, even with a dumps folder at hand; only the
    default location (./index, or env NEWS_INDEX_DIR) is built on first use."""
    copy_seeds(tmp_path / "seeds")
    typo = tmp_path / "typo" / "path"
    r = invoke("search", "太忻", "--index", typo, cwd=tmp_path)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (f"error: {typo}: no such index folder (--index is never built on first use); "
                        f"build it with `search-index update seeds --index {typo}`\n")
    (tmp_path / "empty").mkdir()
    r = invoke("search", "太忻", "--index", tmp_path / "empty", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, f"error: {tmp_path / 'empty'}: no index there yet; build it with "
                                           f"`search-index update seeds --index {tmp_path / 'empty'}`\n")
    assert sorted(os.listdir(tmp_path)) == ["empty", "seeds"] and os.listdir(tmp_path / "empty") == []
    r = invoke("search", "太忻", cwd=tmp_path, env={"NEWS_INDEX_DIR": str(tmp_path / "configured")})
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith(f"no index yet: building {tmp_path / 'configured'} from seeds (once)…\n")
    assert index.exists(str(tmp_path / "configured"))


def damaged_copy(seed_index, folder):
    """A copy of the seed index with one segment's term file gone: (folder, that file's name)."""
    shutil.copytree(seed_index, folder)
    gone = sorted(folder.glob("*.trm"))[0]
    gone.unlink()
    return folder, gone.name


def test_search_web_stops_at_once_on_an_index_it_cannot_open(seed_index, tmp_path, monkeypatch):
    served = []
    monkeypatch.setattr("waitress.serve", lambda app, **kw: served.append(app))
    damaged, gone = damaged_copy(seed_index, tmp_path / "damaged")
    garbled = tmp_path / "garbled"
    shutil.copytree(seed_index, garbled)
    for toc in garbled.glob("*.toc"):
        toc.write_bytes(b"")
    r = invoke("search-web", "--index", damaged)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == f"error: {damaged}: unreadable index ({gone}: No such file or directory)\n"
    r = invoke("search-web", "--index", garbled)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (f"error: {garbled}: unreadable index (TypeError: ord() expected a character, "
                        f"but string of length 0 found)\n")
    r = invoke("search-web", "--index", tmp_path / "typo", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.startswith(f"error: {tmp_path / 'typo'}: no such index folder")
    assert served == [] and not os.path.exists(tmp_path / "typo")


def test_healthz_says_why_when_the_index_is_damaged_while_serving(seed_index, tmp_path):
    from web import create_app
    folder = tmp_path / "ix"
    shutil.copytree(seed_index, folder)
    client = create_app(str(folder), {"TESTING": True}).test_client()
    assert client.get("/healthz").get_json()["articles"] == 35
    _, gone = damaged_copy(folder, tmp_path / "unused")
    os.remove(folder / gone)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"error": "index_unreadable", "parameter": None,
                                   "message": f"索引无法读取：{folder}（{gone}: No such file or directory）。"}


# -- security ------------------------------------------------------------------------------------

HOSTILE_TITLES = ["<script>alert(1)</script>“双引号”标题", '"><img src=x onerror=alert(1)> 图片标题',
                  "' onmouseover='alert(1)' 单引号标题"]
HOSTILE_DUMP = f"""{HOSTILE_TITLES[0]}

本报讯 9月6日，一段含有 <script>alert(1)</script> 和 <img src=x onerror=alert(1)> 的文字，还有"双引号"和'单引号'。

{HOSTILE_TITLES[1]}

本报讯 9月6日，太原市迎泽区举行活动，"引号" & 符号，</p><script>alert(2)</script>。

{HOSTILE_TITLES[2]}

本报讯 9月6日，晋中市举行活动，' onfocus='alert(3)' 和 “中文引号” 都在正文里。
"""


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    dumps = copy_seeds(tmp_path_factory.mktemp("hostile-dumps"), prefixes={"000"})
    add_dump(dumps, "2022-09-06_taiyuan_p09.txt", HOSTILE_DUMP)
    ix = tmp_path_factory.mktemp("hostile-ix") / "index"
    build_index(ix, dumps)
    with Searcher(str(ix)) as s:
        items = s.search("标题", per_page=100).hits
    assert sorted(h.title for h in items) == sorted(HOSTILE_TITLES)     # the markup really is in the titles
    return str(ix), {h.title: h.id for h in items}


def assert_inert(data, where):
    """No markup from a dump in an HTML answer: no tag it carried, no attribute it could open."""
    lowered = data.lower()
    for needle in (b"<script", b"<img", b"' onmouseover='", b"' onfocus='", b"onerror=alert(1)>"):
        assert needle not in lowered, f"{where}: {needle!r} unescaped"


def entity_normal(text):
    return text.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def test_markup_and_quotes_from_dumps_are_inert_in_every_page_and_answer(hostile_index, tmp_path):
    from web import create_app
    ix, ids = hostile_index
    client = create_app(ix, {"TESTING": True}).test_client()
    pages = ["/", "/search?q=标题", "/search?q=&sort=date", "/search?q=双引号 OR 单引号 OR 引号",
             "/search?q=" + quote("script alert")]
    pages += [f"/article/{i}?q=标题" for i in ids.values()] + [f"/article/{i}" for i in ids.values()]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.data, url)
        text = entity_normal(response.get_data(as_text=True))
        if url.startswith("/article/"):
            title = next(t for t, i in ids.items() if url.startswith(f"/article/{i}"))
            assert f"<title>{html.escape(title)} · " in text, url            # in the <title>, escaped
            for other in HOSTILE_TITLES:                                    # and in the neighbours list
                assert html.escape(other) in re.sub(r"</?mark>", "", text), (url, other)
    results = entity_normal(client.get("/search?q=").get_data(as_text=True))
    for title in HOSTILE_TITLES:
        assert html.escape(title) in results
    for url in ["/api/search?q=标题", "/api/search?q=&sort=date"] + [f"/api/article/{i}" for i in ids.values()]:
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/json"
        assert b"<" not in response.data and b">" not in response.data, url
    api = client.get("/api/search?q=标题").get_json()
    assert sorted(h["title"] for h in api["hits"]) == sorted(HOSTILE_TITLES)          # the data itself unchanged
    for hit in api["hits"]:
        assert "<" not in re.sub(r"</?mark>", "", hit["snippet"])

    # `search --json`: snippets are HTML-escaped too (titles are data).
    r = invoke("search", "标题 OR 引号", "--json", "--index", ix)
    answer = json.loads(r.stdout)
    assert answer["total"] == 3
    for hit in answer["hits"]:
        assert "<" not in re.sub(r"</?mark>", "", hit["snippet"]), hit["snippet"]


def test_control_characters_in_a_dump_never_reach_the_terminal(tmp_path):
    text = seed_path("000").read_text(encoding="utf-8")
    text = text.replace("全省开发区2022年第三次", "全省开发区\x1b]0;pwned\x07\x1b[2J2022年第三次", 1)
    text = text.replace("太忻一体化经济区建设取得", "太忻一体化\x1b[31m经济区建设取得", 1)
    dumps = tmp_path / "dumps"
    add_dump(dumps, "escapes.txt", text)
    build_index(tmp_path / "ix", dumps)
    for args in (["太忻"], ["太忻", "--json"], ["pwned"]):
        r = invoke("search", *args, "--index", tmp_path / "ix")
        assert r.returncode == 0, r.stderr
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", r.stdout + r.stderr), repr(r.stdout[:300])
    parsed = invoke("search-index", "parse", dumps / "escapes.txt")
    assert "\\u001b" not in parsed.stdout and "\x1b" not in parsed.stdout


def listening_addresses(pid):
    """(address, port) of every listening TCP socket of a process (from /proc)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table, width in (("tcp", 4), ("tcp6", 16)):
        try:
            with open(f"/proc/{pid}/net/{table}") as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            local, state, inode = cols[1], cols[3], cols[9]
            if state == "0A" and inode in inodes:           # LISTEN
                address, port = local.split(":")
                raw = bytes.fromhex(address)
                if width == 4:
                    ip = socket.inet_ntop(socket.AF_INET, raw[::-1])
                else:
                    ip = socket.inet_ntop(socket.AF_INET6, b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))
                found.append((ip, int(port, 16)))
    return found


def own_addresses():
    """This machine's non-loopback IPv4 addresses, if any."""
    found = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except OSError:
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))           # no packet is sent: this only picks a route
            found.add(s.getsockname()[0])
        except OSError:
            pass
    return {a for a in found if not a.startswith("127.") and a != "0.0.0.0"}


def test_the_server_listens_on_loopback_only_unless_told(hostile_index, tmp_path):
    help_text = " ".join(run("search-web", "--help").stdout.split())
    assert "--host TEXT Address to listen on (0.0.0.0 for every interface). [default: 127.0.0.1]" in help_text
    ix, _ = hostile_index
    server = Server(ix, tmp_path)
    try:
        assert listening_addresses(server.process.pid) == [("127.0.0.1", server.port)]
        for address in own_addresses():
            with pytest.raises(OSError):
                socket.create_connection((address, server.port), timeout=2).close()
    finally:
        server.stop()


TRAVERSALS = ["/article/../../etc/passwd", "/article/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/article/..%2F..%2Fetc%2Fpasswd",
              "/article/..%2F..%2F..%2F{sentinel}", "/api/article/..%2F..%2F{sentinel}", "/article/%2e%2e",
              "/static/../../setup.py", "/static/..%2f..%2fsetup.py", "/static/%2e%2e/%2e%2e/README.md",
              "/static/..%2F..%2F..%2F{sentinel}", "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f{sentinel}",
              "//etc/passwd", "/article/%00", "/article/..%00", "/static/style.css%00.txt"]


def atime_moves_on_read(folder):
    """Whether reading a file moves its access time here (not on a noatime mount)."""
    probe = Path(folder) / "atime-probe.txt"
    probe.write_text("probe", encoding="utf-8")
    os.utime(probe, (946684800, time.time()))
    before = os.stat(probe).st_atime
    probe.read_text(encoding="utf-8")
    return os.stat(probe).st_atime != before


def test_path_like_ids_through_the_real_server_are_404_and_read_no_file(hostile_index, tmp_path):
    """Raw request lines (no client normalizes them) to the real server; a sentinel file next
    to the index must be neither shown nor read (its access time stays put)."""
    ix, _ = hostile_index
    sentinel = Path(ix).parent / "secret.txt"
    sentinel.write_text("SENTINEL-CONTENTS", encoding="utf-8")
    os.utime(sentinel, (946684800, time.time()))            # atime far before mtime: a read moves it (relatime)
    before = os.stat(sentinel).st_atime
    server = Server(ix, tmp_path)
    try:
        for template in TRAVERSALS:
            path = template.format(sentinel=sentinel.name)
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            connection.putrequest("GET", path, skip_accept_encoding=True)       # the path is sent as is
            connection.endheaders()
            response = connection.getresponse()
            body = response.read()
            connection.close()
            assert response.status in (400, 404), (path, response.status)
            for secret in (b"root:", b"SENTINEL-CONTENTS", b"setuptools", b"full-text search"):
                assert secret.lower() not in body.lower(), (path, secret)
    finally:
        server.stop()
    if atime_moves_on_read(tmp_path):
        assert os.stat(sentinel).st_atime == before, "the sentinel file was read"
    assert sentinel.read_text(encoding="utf-8") == "SENTINEL-CONTENTS"


# -- bench/load.py ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url,message", [
    ("http://example.com:8000", "error: http://example.com:8000: 'example.com' is not a loopback address; "
                                "bench.load only runs against this machine (127.0.0.1, ::1, localhost)"),
    ("http://10.1.2.3:8000", "error: http://10.1.2.3:8000: 10.1.2.3 is not a loopback address; "
                             "bench.load only runs against this machine (127.0.0.1, ::1, localhost)"),
    ("http://0.0.0.0:8000", "error: http://0.0.0.0:8000: 0.0.0.0 is not a loopback address; "
                            "bench.load only runs against this machine (127.0.0.1, ::1, localhost)"),
    ("https://127.0.0.1:8000", "error: https://127.0.0.1:8000: only http:// URLs on this machine are accepted"),
])
def test_load_refuses_anything_but_this_machine(url, message, capsys):
    from bench import load
    assert load.main(["--url", url, "--seconds", "1"]) == 2
    assert capsys.readouterr() == ("", message + "\n")


@pytest.mark.slow
def test_load_against_the_seed_index_has_no_errors(tmp_path):
    ix = tmp_path / "index"
    build_index(ix)
    out = tmp_path / "load.json"
    # A number of requests, not a length of time: the same run on any machine.
    r = subprocess.run([sys.executable, "-m", "bench.load", "--serve", str(ix), "--clients", "4", "--seconds", "600",
                        "--max-requests", "300", "--json", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=900)
    print("\n" + r.stdout)
    assert r.returncode == 0, r.stdout + r.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["errors"] == 0 and figures["first_errors"] == []
    assert (figures["requests"], figures["clients"], figures["served"]) == (300, 4, True)
    assert 0 < figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert re.search(rf"^{figures['requests']} requests in [\d.]+ s from 4 clients against http://127\.0\.0\.1:\d+: "
                     rf"[\d.]+ requests/s$", r.stdout, re.M)
    assert "errors 0" in r.stdout


UPDATER = """
import os, sys
from search import index
dumps, ix, progress = sys.argv[1], sys.argv[2], sys.argv[3]
k = 0
while not os.path.exists(progress + ".stop"):
    with open(dumps + "/zz.txt", "w", encoding="utf-8") as f:
        f.write(f"测试{k}号\\n\\n本报讯 太原市今天召开第{k}次座谈会，研究部署相关工作。\\n")
    index.update(dumps, ix, workers=1)
    k += 1
    with open(progress + ".tmp", "w") as f:
        f.write(str(k))
    os.replace(progress + ".tmp", progress)
"""
OPENS, COMMITS = 300, 40           # at least, of each, at the same time


@pytest.mark.slow
def test_searchers_opened_while_updates_commit_and_clean_up_always_answer(tmp_path):
    """Each update deletes the files of the commit before it; a Searcher opening at that
    moment must still answer (it opens every file it needs at once, and tries again).
    Searchers open until there were OPENS of them and COMMITS updates meanwhile, however
    fast either goes."""
    dumps = copy_seeds(tmp_path / "dumps", prefixes={"000"})
    ix = str(tmp_path / "index")
    build_index(ix, dumps)
    progress = tmp_path / "commits"
    updater = subprocess.Popen([sys.executable, "-c", UPDATER, str(dumps), ix, str(progress)], cwd=ROOT)

    def commits():
        return int(progress.read_text()) if progress.exists() else 0
    failures, opens = [], 0
    try:
        while updater.poll() is None and (opens < OPENS or commits() < COMMITS):
            try:
                with Searcher(ix) as searcher:
                    assert searcher.search("太原").total > 0
            except Exception as e:           # anything at all is a failure here
                failures.append(f"{type(e).__name__}: {e}")
            opens += 1
    finally:
        Path(f"{progress}.stop").touch()
        updater.wait(600)
    print(f"\n{opens} searchers opened during {commits()} commits")
    assert updater.returncode == 0
    assert failures == [], (opens, failures[:5])
