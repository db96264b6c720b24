"""Incremental updates: new, changed and removed dumps; idempotence; interruptions; locks;
an index folder that is a mount point; a full disk; a dumps folder gone or empty (mass
deletes, --watch); segments merging as updates accumulate."""
import os
import random
import re
import shutil

import pytest

from builders import add_dump, copy_seeds, seed_path
from commands import invoke
from search import index
from search.errors import IndexLocked, SearchError
from search.index import workers
from search.searching import Searcher

NEW_DUMP = """每日要闻

本报讯（记者 王芳）9月6日，晋祠博物馆推出夜游项目，游客可在灯光下参观古建筑。
"""


def ids_in(index_dir):
    with Searcher(str(index_dir)) as s:
        return {h.id for h in s.search("", per_page=100).hits}


def sources_in(index_dir):
    with Searcher(str(index_dir)) as s:
        return {h.source for h in s.search("", per_page=100).hits}


@pytest.fixture
def folders(tmp_path):
    dumps = copy_seeds(tmp_path / "dumps", prefixes={"000", "001", "002"})
    return dumps, str(tmp_path / "index")


def clean_build_ids(dumps, tmp_path):
    fresh = tmp_path / "fresh-index"
    index.update(dumps, str(fresh), workers=1)
    return ids_in(fresh)


def test_first_update_adds_every_dump(folders):
    dumps, ix = folders
    report = index.update(dumps, ix, workers=1)
    assert sorted(report.added) == sorted(os.listdir(dumps))
    assert (report.updated, report.removed, report.skipped) == ([], [], [])
    assert report.articles == 6 + 11 + 5


def test_second_run_changes_nothing_and_says_so(folders):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    report = index.update(dumps, ix, workers=1)
    assert not report.changed
    assert report.summary().startswith("0 added, 0 updated, 0 removed (22 articles")


def test_a_new_dump_is_added(folders, tmp_path):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    before = ids_in(ix)
    add_dump(dumps, "2022-09-06_taiyuan_p05.txt", NEW_DUMP)
    report = index.update(dumps, ix, workers=1)
    assert (report.added, report.updated, report.removed) == (["2022-09-06_taiyuan_p05.txt"], [], [])
    after = ids_in(ix)
    assert before < after and len(after - before) == 1
    with Searcher(ix) as s:
        hit = s.search("夜游项目").hits[0]
    assert (hit.source, hit.date, hit.cities) == ("2022-09-06_taiyuan_p05.txt", "2022-09-06", ["太原"])
    assert after == clean_build_ids(dumps, tmp_path)


def test_a_changed_dump_replaces_its_old_articles(folders, tmp_path):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    path = seed_path("002")
    changed = os.path.join(dumps, path.name)
    text = path.read_text(encoding="utf-8").replace("爱心驿站", "暖心小屋")
    with open(changed, "w", encoding="utf-8") as f:
        f.write(text)
    report = index.update(dumps, ix, workers=1)
    assert (report.added, report.updated, report.removed) == ([], [path.name], [])
    with Searcher(ix) as s:
        assert s.search("暖心小屋").total == 1
        assert s.search('"爱心驿站内"').total == 0
    assert ids_in(ix) == clean_build_ids(dumps, tmp_path)


def test_a_removed_dump_takes_its_articles_away(folders, tmp_path):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    gone = seed_path("001").name
    os.remove(os.path.join(dumps, gone))
    report = index.update(dumps, ix, workers=1)
    assert (report.added, report.updated, report.removed) == ([], [], [gone])
    assert gone not in sources_in(ix)
    assert report.articles == 11
    assert ids_in(ix) == clean_build_ids(dumps, tmp_path)


def test_touching_a_dump_without_changing_it_is_not_an_update(folders):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    path = os.path.join(dumps, seed_path("000").name)
    os.utime(path, (1e9, 1e9))
    assert not index.update(dumps, ix, workers=1).changed
    assert not index.update(dumps, ix, workers=1).changed


def test_an_unreadable_dump_is_skipped_and_the_rest_indexed(folders):
    dumps, ix = folders
    add_dump(dumps, "page09.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    report = index.update(dumps, ix, workers=1)
    assert [str(e) for e in report.skipped] == ["page09.txt: not a text dump: it is a PNG image"]
    assert len(report.added) == 3 and report.articles == 22
    again = index.update(dumps, ix, workers=1)       # still reported, nothing else changes
    assert not again.changed and len(again.skipped) == 1


def test_a_dump_that_becomes_unreadable_keeps_its_articles(folders):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    before = ids_in(ix)
    add_dump(dumps, seed_path("000").name, b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    report = index.update(dumps, ix, workers=1)
    assert len(report.skipped) == 1 and not report.changed
    assert ids_in(ix) == before


def test_an_interrupted_update_leaves_the_previous_index_whole(folders, monkeypatch):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    before = ids_in(ix)
    add_dump(dumps, "2022-09-06_taiyuan_p05.txt", NEW_DUMP)
    add_dump(dumps, "2022-09-06_taiyuan_p06.txt", NEW_DUMP.replace("夜游", "晨练"))
    os.remove(os.path.join(dumps, seed_path("001").name))
    real_parse = workers._parse
    calls = []

    def interrupt_the_second(job):
        calls.append(job[0])
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_parse(job)

    monkeypatch.setattr(workers, "_parse", interrupt_the_second)
    with pytest.raises(KeyboardInterrupt):
        index.update(dumps, ix, workers=1)
    assert len(calls) == 2 and ids_in(ix) == before
    monkeypatch.setattr(workers, "_parse", real_parse)
    report = index.update(dumps, ix, workers=1)
    assert (report.added, report.removed) == (["2022-09-06_taiyuan_p05.txt", "2022-09-06_taiyuan_p06.txt"],
                                              [seed_path("001").name])


def test_an_interrupted_rebuild_leaves_the_previous_index_whole(folders, monkeypatch):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    before = ids_in(ix)

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(workers, "_parse", interrupt)
    with pytest.raises(KeyboardInterrupt):
        index.update(dumps, ix, rebuild=True, workers=1)
    assert ids_in(ix) == before
    assert not os.path.exists(ix + ".building")


def test_rebuild_gives_the_same_articles_as_updates(folders, tmp_path):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    add_dump(dumps, "2022-09-06_taiyuan_p05.txt", NEW_DUMP)
    index.update(dumps, ix, workers=1)
    before = ids_in(ix)
    report = index.update(dumps, ix, rebuild=True, workers=1)
    assert report.rebuilt and ids_in(ix) == before
    assert report.articles == len(before)


def test_parallel_parsing_gives_the_same_index(folders, tmp_path):
    dumps, ix = folders
    index.update(dumps, ix, workers=2)
    assert ids_in(ix) == clean_build_ids(dumps, tmp_path)


def test_a_second_update_while_one_runs_exits_with_a_clear_message(folders):
    dumps, ix = folders
    with index.update_lock(ix):
        with pytest.raises(IndexLocked) as e:
            index.update(dumps, ix, wait=False)
    assert str(e.value).startswith(f"{ix}: an update is already running (pid {os.getpid()})")
    assert index.update(dumps, ix, wait=False).added       # free again afterwards


def test_missing_dumps_folder_is_a_clear_error(tmp_path):
    with pytest.raises(SearchError, match="nowhere: no such dumps folder"):
        index.update(str(tmp_path / "nowhere"), str(tmp_path / "ix"))


def test_stats_counts_articles_dumps_and_facets(folders):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    with Searcher(ix) as s:
        figures = s.stats()
    assert (figures["articles"], figures["dumps"]) == (22, 3)
    assert figures["kinds"] == {"article": 17, "notice": 2, "photo": 3}
    assert sum(figures["facets"]["topic"].values()) == 22
    assert figures["facets"]["year"] == {"2022": 22}
    assert figures["last_update"] and not figures["dictionary_changed"]


def test_a_running_searcher_sees_new_articles_after_an_update(folders):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    with Searcher(ix) as s:
        assert s.search("夜游项目").total == 0
        add_dump(dumps, "2022-09-06_taiyuan_p05.txt", NEW_DUMP)
        index.update(dumps, ix, workers=1)
        assert s.search("夜游项目").total == 1
        shutil.rmtree(os.path.join(dumps))
        os.makedirs(dumps)
        index.update(dumps, ix, rebuild=True, workers=1, allow_mass_delete=True)
        assert s.search("").total == 0


# -- what update must never do --------------------------------------------------------------

def test_an_index_folder_holding_other_files_is_refused_and_left_alone(folders, tmp_path):
    dumps, _ = folders
    mydocs = tmp_path / "mydocs"
    mydocs.mkdir()
    (mydocs / "notes.txt").write_text("precious")
    with pytest.raises(SearchError, match="mydocs: holds files that are not an index; refusing"):
        index.update(dumps, str(mydocs), workers=1)
    assert (mydocs / "notes.txt").read_text() == "precious" and os.listdir(mydocs) == ["notes.txt"]


def test_the_dumps_folder_or_a_file_cannot_be_the_index(folders, tmp_path):
    dumps, _ = folders
    with pytest.raises(SearchError, match="is the dumps folder"):
        index.update(dumps, dumps, workers=1)
    assert sorted(os.listdir(dumps)) == sorted(p.name for p in map(seed_path, ("000", "001", "002")))
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(SearchError, match="afile: is a file, not an index folder"):
        index.update(dumps, str(afile), workers=1)
    assert afile.read_text() == "x"


def test_a_worker_that_dies_fails_the_update_instead_of_hanging(tmp_path, monkeypatch):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for k in range(workers.PARALLEL_MIN + 2):
        shutil.copy(seed_path("00" + str(k % 5)), dumps / f"p{k:02d}.txt")
    ix = str(tmp_path / "index")
    index.update(str(dumps), ix, workers=1)
    before = ids_in(ix)
    add_dump(dumps, "p99.txt", NEW_DUMP)
    parse = workers._parse

    def dying(job):                       # the forked worker inherits this: it dies on p99.txt
        if job[0] == "p99.txt":
            os._exit(3)
        return parse(job)
    monkeypatch.setattr(workers, "_parse", dying)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    with pytest.raises(SearchError, match=r"an indexing worker died \(exit code 3\); the index is unchanged"):
        index.update(str(dumps), ix, workers=2)
    assert ids_in(ix) == before
    monkeypatch.setattr(workers, "_parse", parse)
    assert index.update(str(dumps), ix, workers=2).added == ["p99.txt"]


def test_a_dump_that_cannot_be_opened_any_more_keeps_its_articles(folders):
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    before = ids_in(ix)
    name = seed_path("001").name
    os.remove(os.path.join(dumps, name))
    os.mkfifo(os.path.join(dumps, name))                 # present, but not a file we can read
    report = index.update(dumps, ix, workers=1)
    assert [e.path for e in report.skipped] == [name] and not report.removed
    assert ids_in(ix) == before


# -- the index folder stays where it is: a mount point works ------------------------------------

def index_files(folder):
    """The index's files (not the locks), and whether each belongs to its latest commit."""
    from search.store import folder as index_folder
    live = index_folder.commit_files(str(folder))
    return {name: name in live for name in os.listdir(folder) if name not in (".update.lock", "MAIN_WRITELOCK")}


def test_a_rebuild_replaces_the_index_inside_its_folder(folders, tmp_path):
    """A full build commits its own segments in the same folder, which is never moved or
    replaced (so it may be a mount point); a running searcher sees the rebuilt index."""
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    inode = os.stat(ix).st_ino
    with Searcher(ix) as s:
        assert s.search("夜游项目").total == 0
        add_dump(dumps, "2022-09-06_taiyuan_p05.txt", NEW_DUMP)
        report = index.update(dumps, ix, rebuild=True, workers=1)
        assert report.rebuilt and report.added == ["2022-09-06_taiyuan_p05.txt"]
        assert s.search("夜游项目").total == 1
    assert os.stat(ix).st_ino == inode
    assert sorted(os.listdir(tmp_path)) == ["dumps", "index"]          # nothing beside it
    files = index_files(ix)
    assert all(files.values()), sorted(name for name, live in files.items() if not live)
    assert ids_in(ix) == clean_build_ids(dumps, tmp_path)


def mounted_tmpfs(folder, size):
    """Mount a tmpfs of `size` at `folder` (root only): a context manager."""
    import contextlib
    import subprocess

    @contextlib.contextmanager
    def mount():
        if not hasattr(os, "geteuid") or os.geteuid() != 0:
            pytest.skip("mounting a tmpfs needs root")
        os.makedirs(folder, exist_ok=True)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True)
        if r.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
        try:
            yield folder
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=True)
    return mount()


def test_an_index_folder_that_is_a_mount_point_is_built_rebuilt_and_updated(folders, tmp_path):
    dumps, _ = folders
    with mounted_tmpfs(tmp_path / "volume", "32m") as ix:
        assert os.path.ismount(ix)
        r = invoke("search-index", "update", dumps, "--index", ix)
        assert (r.returncode, r.stderr) == (0, ""), r.stderr
        add_dump(dumps, "2022-09-06_taiyuan_p05.txt", NEW_DUMP)
        r = invoke("search-index", "rebuild", dumps, "--index", ix)
        assert (r.returncode, r.stderr) == (0, ""), r.stderr
        os.remove(os.path.join(dumps, seed_path("002").name))
        r = invoke("search-index", "update", dumps, "--index", ix)
        assert (r.returncode, r.stderr) == (0, ""), r.stderr
        assert os.path.ismount(ix)
        assert ids_in(ix) == clean_build_ids(dumps, tmp_path)
        assert all(index_files(ix).values())


# -- a failed update takes back what it wrote ---------------------------------------------------

NO_SPACE = "{}: no space left on the device; the update changed nothing and its files are removed: " \
           "free some space and run it again"


@pytest.mark.parametrize("fault,rebuild,parallel", [
    ("segment-written:enospc", False, False), ("segment-written:enospc", False, True),
    ("before-commit:enospc", False, False), ("parsed:enospc:2", True, True), ("before-commit:enospc", True, False),
])
def test_an_update_that_runs_out_of_disk_space_removes_what_it_wrote(folders, monkeypatch, fault, rebuild, parallel):
    """ENOSPC injected at a point the update reaches (in a worker process too): the update
    fails with one line, the folder holds exactly the files it held, and the next update
    works."""
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    before, ids = index_files(ix), ids_in(ix)
    add_dump(dumps, "2022-09-06_taiyuan_p05.txt", NEW_DUMP)
    if parallel:
        monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    monkeypatch.setenv("NEWS_TEST_FAULT", fault)
    with pytest.raises(SearchError) as e:
        index.update(dumps, ix, rebuild=rebuild, workers=2 if parallel else 1)
    assert str(e.value) == NO_SPACE.format(ix)
    assert index_files(ix) == before and ids_in(ix) == ids
    monkeypatch.delenv("NEWS_TEST_FAULT")
    assert index.update(dumps, ix, workers=1).added == ["2022-09-06_taiyuan_p05.txt"]


def test_a_full_disk_then_space_again(folders, tmp_path):
    """A real full disk (a small tmpfs): the update fails with one line and leaves the files
    as they were; once the dump that did not fit is gone, updates work."""
    dumps, _ = folders
    with mounted_tmpfs(tmp_path / "small", "3m") as disk:
        ix = disk / "index"
        index.update(dumps, str(ix), workers=1)
        before, ids = index_files(ix), ids_in(ix)
        rng = random.Random(7)
        hanzi = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]          # grams that compress badly
        paragraphs = ["，".join("".join(rng.choice(hanzi) for _ in range(20)) for _ in range(10)) + "。"
                      for _ in range(300)]
        add_dump(dumps, "2022-09-06_taiyuan_p07.txt", "本报讯 9月6日，\n\n" + "\n\n".join(paragraphs))
        r = invoke("search-index", "update", dumps, "--index", ix)
        assert index_files(ix) == before and ids_in(ix) == ids
        assert (r.returncode, r.stdout, r.stderr) == (2, "", f"error: {NO_SPACE.format(ix)}\n")
        os.remove(os.path.join(dumps, "2022-09-06_taiyuan_p07.txt"))
        add_dump(dumps, "2022-09-06_taiyuan_p05.txt", NEW_DUMP)
        r = invoke("search-index", "update", dumps, "--index", ix)
        assert (r.returncode, r.stderr) == (0, "") and r.stdout.startswith("1 added, 0 updated, 0 removed")


# -- a dumps folder that is gone for a while, or suddenly empty ---------------------------------

def test_an_update_that_would_remove_most_articles_is_refused_unless_allowed(folders):
    """A mount that vanished shows as an empty folder: its update must not empty the index."""
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    before = ids_in(ix)
    gone = [seed_path("001").name, seed_path("002").name]            # 11 + 5 of 22 articles

    def away(name):
        os.rename(os.path.join(dumps, name), os.path.join(dumps, name + ".away"))
    away(gone[0])                                                    # half of them may go without asking
    assert index.update(dumps, ix, workers=1).removed == [gone[0]]
    os.rename(os.path.join(dumps, gone[0] + ".away"), os.path.join(dumps, gone[0]))
    assert index.update(dumps, ix, workers=1).added == [gone[0]]
    for name in gone:
        away(name)
    message = (f"{ix}: refusing to remove 16 of 22 articles: 2 of 3 dumps are gone from {dumps} (a folder not "
               "mounted?); if they are meant to go, run again with --allow-mass-delete")
    for rebuild in (False, True):
        with pytest.raises(SearchError) as e:
            index.update(dumps, ix, workers=1, rebuild=rebuild)
        assert str(e.value) == message and ids_in(ix) == before
    r = invoke("search-index", "update", dumps, "--index", ix)
    assert (r.returncode, r.stdout, r.stderr) == (2, "", f"error: {message}\n")
    r = invoke("search-index", "update", dumps, "--index", ix, "--allow-mass-delete")
    assert r.returncode == 0 and r.stdout.startswith("0 added, 0 updated, 2 removed (6 articles"), r.stdout + r.stderr
    assert sources_in(ix) == {seed_path("000").name}


def test_watch_reports_a_failed_poll_and_keeps_polling(folders, monkeypatch):
    """The dumps folder gone for two polls, back with a new dump, then empty (a mount gone):
    each problem is one line (once while it lasts), polling goes on, and the index keeps
    its articles. The polls are driven by the watch's own sleep, not by time."""
    dumps, ix = folders
    away = dumps + ".away"

    def gone():
        os.rename(dumps, away)

    def back_with_a_new_dump():
        os.rename(away, dumps)
        add_dump(dumps, "2022-09-06_taiyuan_p05.txt", NEW_DUMP)

    def emptied():
        os.rename(dumps, away)
        os.mkdir(dumps)

    def stop():
        raise KeyboardInterrupt
    steps = iter([gone, lambda: None, back_with_a_new_dump, emptied, lambda: None, stop])
    monkeypatch.setattr("search.cli.index_commands.time.sleep", lambda seconds: next(steps)())
    r = invoke("search-index", "update", dumps, "--index", ix, "--watch", "--interval", "5")
    assert r.returncode == 130
    stamp = r"\d\d:\d\d:\d\d "
    assert re.fullmatch(rf"3 added, 0 updated, 0 removed \(22 articles, [\d.]+ s\)\n"
                        rf"{stamp}1 added, 0 updated, 0 removed \(23 articles, [\d.]+ s\)\n", r.stdout), r.stdout
    lines = r.stderr.splitlines()
    assert len(lines) == 3, r.stderr
    assert re.fullmatch(stamp + re.escape(f"error: {dumps}: no such dumps folder (still polling)"), lines[0])
    assert re.fullmatch(stamp + re.escape(f"error: {ix}: refusing to remove 23 of 23 articles: 4 of 4 dumps are gone "
                                          f"from {dumps} (a folder not mounted?); if they are meant to go, run again "
                                          "with --allow-mass-delete (still polling)"), lines[1])
    assert lines[2] == "error: interrupted; the index keeps its last complete commit"
    assert len(ids_in(ix)) == 23


# -- segments merge as updates accumulate ---------------------------------------------------------

def live_segments(index_dir):
    """Live documents of each segment of the index, largest first."""
    from search import store
    with store.open_index(str(index_dir)).reader() as reader:
        return sorted((r.doc_count() for r, _ in reader.leaf_readers()), reverse=True)


def test_small_updates_merge_segments_and_changed_dumps_leave_no_deleted_documents(folders, tmp_path):
    """Each update adds segments; the commit merges them so that every segment but the
    largest holds more documents than all the smaller ones together; a merged index
    answers as a clean build does."""
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    for k in range(6):
        add_dump(dumps, f"2022-09-06_taiyuan_p{k + 10}.txt", NEW_DUMP.replace("夜游", f"夜游{k}号"))
        index.update(dumps, ix, workers=1)
        sizes = live_segments(ix)
        assert all(size >= sum(sizes[i + 1:]) for i, size in enumerate(sizes[1:], 1)), sizes
    assert len(live_segments(ix)) < 6
    changed = os.path.join(dumps, seed_path("002").name)
    for k in range(8):                    # each time, its old articles and record are deleted
        with open(changed, "a", encoding="utf-8") as f:
            f.write(f"\n\n暖心小屋第{k}次开张\n\n本报讯 9月7日，暖心小屋开张，为环卫工人提供休息场所。\n")
        index.update(dumps, ix, workers=1)
        sizes = live_segments(ix)
        assert 0 not in sizes and all(size >= sum(sizes[i + 1:]) for i, size in enumerate(sizes[1:], 1)), sizes
    fresh = tmp_path / "fresh-index"
    index.update(dumps, str(fresh), workers=1)
    with Searcher(ix) as merged, Searcher(str(fresh)) as clean:
        for q in ["", "夜游", "暖心小屋", "太原 OR 晋祠", '"夜游3号"', '"暖心小屋第7次"']:
            assert [(h.id, h.score) for h in merged.search(q, per_page=100).hits] == \
                   [(h.id, h.score) for h in clean.search(q, per_page=100).hits], q


def test_what_one_update_merges_is_bounded_and_a_builds_segments_stay(folders, monkeypatch):
    """A merge re-indexes its documents: at 100,000 articles the first one-dump update after
    a build merged the build's segments (27,300 articles, 291 s). Segments of more than
    MAX_MERGED documents are never merged, and no merge makes one of more."""
    from search import store
    from search.index import merging
    monkeypatch.setattr(merging, "MAX_MERGED", 8)
    dumps, ix = folders
    index.update(dumps, ix, workers=1)
    built = segment_ids(ix)
    for k in range(8):
        add_dump(dumps, f"2022-09-06_taiyuan_p{k + 10}.txt", NEW_DUMP.replace("夜游", f"夜游{k}号"))
        index.update(dumps, ix, workers=1)
        with store.open_index(str(ix)).reader() as reader:
            sizes = {r.segment().segment_id(): r.doc_count() for r, _ in reader.leaf_readers()}
        assert built <= set(sizes), k                                # the build's segment untouched
        assert all(n <= 8 for sid, n in sizes.items() if sid not in built), sizes
    assert len(segment_ids(ix)) < 1 + 8 * 2                          # small ones did merge


def segment_ids(index_dir):
    from search import store
    with store.open_index(str(index_dir)).reader() as reader:
        return {r.segment().segment_id() for r, _ in reader.leaf_readers()}


def folder_bytes(folder):
    return sum(os.path.getsize(os.path.join(folder, name)) for name in os.listdir(folder))


@pytest.mark.slow
def test_a_hundred_one_dump_updates_leave_an_index_near_a_clean_builds_size(tmp_path):
    """The issue's case: many small updates left an index 8 times a clean build's size.
    After 100 one-dump updates it is at most 1.5 times, and answers as the clean build does."""
    from bench import corpus
    corpus.generate(str(tmp_path / "corpus"), 800)
    arriving = sorted(os.listdir(tmp_path / "corpus" / "dumps"))[:100]
    assert len(arriving) == 100
    dumps, ix = tmp_path / "dumps", str(tmp_path / "index")
    dumps.mkdir()
    for name in arriving:
        shutil.copy(tmp_path / "corpus" / "dumps" / name, dumps / name)
        assert index.update(str(dumps), ix, workers=1).added == [name]
    clean = str(tmp_path / "clean")
    index.update(str(dumps), clean)
    ratio = folder_bytes(ix) / folder_bytes(clean)
    print(f"\n100 one-dump updates: {folder_bytes(ix) / 2**20:.1f} MB in segments of {live_segments(ix)} documents; "
          f"a clean build {folder_bytes(clean) / 2**20:.1f} MB ({ratio:.2f}×)")
    assert ratio <= 1.5
    with Searcher(ix) as updated, Searcher(clean) as built:
        for q in ["", "太原", "经济 OR 民生", '"城市更新"', "title:项目"]:
            assert [(h.id, h.score) for h in updated.search(q, per_page=100).hits] == \
                   [(h.id, h.score) for h in built.search(q, per_page=100).hits], q
