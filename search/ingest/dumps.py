"""Finding dump files in a folder and reading them as text.

Dumps come in whatever encoding the paper's system wrote: UTF-8 (with or without a BOM),
UTF-16, GB18030/GBK, with CRLF line ends, sometimes with stray NUL bytes, sometimes as
HTML. Anything that is not text (an image renamed `.txt`) is refused with a reason.
"""
import codecs
import contextlib
import os
import re
import stat
from html.parser import HTMLParser

from ..errors import DumpError

SUFFIXES = (".txt", ".text", ".md")
MAX_BYTES = 64 * 1024 * 1024

SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or Word/Excel file)",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Word/Excel file",
    b"\x7fELF": "a program",
}
BOMS = (  # UTF-32 first: its little-endian BOM starts like UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\ue000-\uf8ff]")
# What a Chinese dump is made of: common Chinese characters, ASCII, CJK punctuation and
# full-width forms. Random bytes read as GB18030 or UTF-16 are mostly something else.
_USUAL = re.compile(r"[\u4e00-\u9fff\x20-\x7e\s\u3000-\u303f\uff00-\uffef\u2010-\u2027\u00b7]")
_HTML_HINT = re.compile(r"<(?:!doctype|html|body|p|div|br|h[1-6]|span|table)\b", re.I)


def _looks_like_text(text):
    if not text:
        return True
    bad = len(_BAD_CHARS.findall(text[:200000]))
    return bad <= max(2, len(text[:200000]) // 100)


def _utf8(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and e.start >= len(data) - 3:
            return data[: e.start].decode("utf-8")      # cut off in the middle of a character
        raise


def _usual_share(text):
    sample = text[:20000]
    return len(_USUAL.findall(sample)) / len(sample) if sample else 1.0


def _tolerant(data, encoding):
    """`data` decoded, a character cut off at the end dropped, a damaged one shown as �
    (too many of those and the text does not look like text: see _looks_like_text)."""
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(data, final=False)


def _without_bom(data):
    """(encoding, decoder) pairs to try: the BOM's encoding alone, else strict UTF-8, then
    UTF-16 (both orders), GB18030 and damaged UTF-8, the likeliest text of these winning."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return [(encoding, lambda: _tolerant(data[len(bom):], encoding))]
    return [("utf-8", lambda: _utf8(data))] + [
        (encoding, lambda encoding=encoding: _tolerant(data, encoding))
        for encoding in ("utf-16-le", "utf-16-be", "gb18030", "utf-8")]


def decode(data, path="<bytes>"):
    """Bytes of a dump → text, or DumpError naming the file and why.

    UTF-8 that decodes is UTF-8. Otherwise the decoding whose text looks most like a
    Chinese dump wins (UTF-16 without a BOM and GB18030 both decode almost anything), and
    a GB18030 text must read as Chinese rather than as Japanese or Korean bytes.
    """
    for magic, what in SIGNATURES.items():
        if data.startswith(magic):
            raise DumpError(path, f"not a text dump: it is {what}")
    best, best_share, best_encoding = None, 0.0, None
    for rank, (encoding, candidate) in enumerate(_without_bom(data)):
        try:
            text = candidate()
        except UnicodeDecodeError:
            continue
        if text.count("\x00") * 3 < len(text):       # stray NULs, not UTF-16 read as 8-bit
            text = text.replace("\x00", "")
        if not _looks_like_text(text):
            continue
        if rank == 0:                   # the BOM's encoding, or UTF-8 that decodes
            return text
        share = _usual_share(text)
        if share > best_share:
            best, best_share, best_encoding = text, share, encoding
    if best is None or best_share < 0.9:
        raise DumpError(path, "not text in UTF-8, UTF-16 or GB18030 (binary data or another encoding)")
    other = _lookalike(data, best) if best_encoding == "gb18030" else None
    if other:
        raise DumpError(path, f"not text in UTF-8, UTF-16 or GB18030: it reads as {other}; save it as UTF-8 to index it")
    return best


# Japanese and Korean bytes decode as GB18030 too: as rare hanzi (Shift-JIS) or as common
# ones (EUC-KR's hangul sits where GB2312 keeps its commonest hanzi), but never as Chinese
# words. Each encoding (Windows' supersets), named, with its own script and the least share
# of it among its letters that real text of that language has.
_LOOKALIKES = (("cp932", "Japanese (Shift-JIS)", re.compile(r"[\u3040-\u30ff]"), 0.2),
               ("cp949", "Korean (EUC-KR)", re.compile(r"[\uac00-\ud7a3]"), 0.8))
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_FEWEST_HANZI = 30            # fewer, and the share of words says little
_LEAST_WORD_SHARE = 0.1       # Chinese news: 0.8 (a list of names 0.2); Japanese or Korean read as GB18030: 0.0–0.02


def _word_share(text):
    """Share of the hanzi of `text` that jieba reads inside words of two or more characters
    (no HMM: it would make words of anything); None for too few hanzi to tell."""
    from ..analysis import jieba
    from ..text import normalize
    sample = normalize(text[:5000])
    hanzi = len(_HANZI.findall(sample))
    if hanzi < _FEWEST_HANZI:
        return None
    in_words = sum(len(_HANZI.findall(w)) for w in jieba().cut(sample, hmm=False) if len(w) > 1)
    return in_words / hanzi


def _lookalike(data, text):
    """The language and encoding `data` is really in, if its GB18030 reading `text` makes
    no Chinese words and the bytes decode (strictly) as Japanese or Korean text; else None."""
    share = _word_share(text)
    if share is None or share >= _LEAST_WORD_SHARE:
        return None
    for encoding, what, script, least in _LOOKALIKES:
        try:
            other = codecs.getincrementaldecoder(encoding)().decode(data, final=False)
        except UnicodeDecodeError:
            continue
        own = len(script.findall(other))
        if own and own / (own + len(_HANZI.findall(other))) >= least:
            return what
    return None


class _TextOfHTML(HTMLParser):
    BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section",
              "article", "header", "footer", "blockquote", "pre", "table", "hr"}
    SKIP = {"script", "style", "head", "title", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0
        self.heading = None

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
            if re.fullmatch(r"h[1-6]", tag):
                self.parts.append("#" * int(tag[1]) + " ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(_SOURCE_WRAP.sub(_unwrap, data))


# A line break of the HTML source inside a paragraph is not a paragraph break: between
# Chinese characters it is nothing, elsewhere a space.
_SOURCE_WRAP = re.compile(r"(.?)[ \t]*\n\s*(.?)")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def _unwrap(m):
    before, after = m.group(1), m.group(2)
    joint = "" if not before or not after or (_HAN.match(before) and _HAN.match(after)) else " "
    return before + joint + after


def html_to_text(text):
    """The text of an HTML dump, a blank line between blocks (character references are
    decoded once, by the parser: `&amp;lt;` stays `&lt;`)."""
    parser = _TextOfHTML()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


NOT_REGULAR = "not a regular file (a pipe, socket or device)"


def _regular(st, name):
    if stat.S_ISDIR(st.st_mode):
        raise DumpError(name, "is a folder, not a dump file")
    if not stat.S_ISREG(st.st_mode):
        raise DumpError(name, NOT_REGULAR)


@contextlib.contextmanager
def open_regular(path, display=None):
    """The regular file at `path` (links followed), open for binary reading; else DumpError.

    Reading a pipe or a device can wait forever, so they are never opened: the type is
    checked with stat first. What counts is the file actually opened, though: it is opened
    with O_NONBLOCK (a pipe swapped in after the check cannot block the open) and must be,
    by fstat, that same regular file (one swapped for a link is refused too).
    """
    name = display or str(path)
    try:
        checked = os.stat(path)
        _regular(checked, name)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except DumpError:
        raise
    except OSError as e:
        raise _os_problem(e, name) from None
    with os.fdopen(fd, "rb") as f:
        opened = os.fstat(fd)
        _regular(opened, name)
        if (opened.st_dev, opened.st_ino) != (checked.st_dev, checked.st_ino):
            raise DumpError(name, "changed while being opened (replaced by another file); try again")
        yield f


def _os_problem(e, name):
    if isinstance(e, FileNotFoundError):
        return DumpError(name, "no such file")
    if isinstance(e, PermissionError):
        return DumpError(name, "permission denied")
    return DumpError(name, e.strerror or str(e))


def read(path, display=None):
    """The text of the dump at `path`; `display` is how the path is named in errors."""
    name = display or str(path)
    with open_regular(path, name) as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_BYTES:
            raise DumpError(name, f"too large ({size / 2**20:.0f} MB; dumps are at most {MAX_BYTES // 2**20} MB)")
        try:
            data = f.read(MAX_BYTES + 1)
        except BlockingIOError:
            data = None
        except OSError as e:
            raise _os_problem(e, name) from None
    if data is None:                   # a file of the kernel's (/proc) that waits for data
        raise DumpError(name, "not a file on disk (reading it would wait for data)")
    if len(data) > MAX_BYTES:
        raise DumpError(name, f"too large (over {MAX_BYTES // 2**20} MB; it grew while being read)")
    text = decode(data, name)
    if len(_HTML_HINT.findall(text[:20000])) >= 3:
        text = html_to_text(text)
    return text


def check_name(name):
    """`name` if it is valid Unicode; else a DumpError. A file name that is not UTF-8 (GBK
    names from a Windows zip) cannot be an id, a JSON string or an index term: it is shown
    as GB18030 reads it, and the user is asked to rename it."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(name).decode("gb18030", errors="replace")
        raise DumpError(shown, "the file name is not UTF-8 (shown as GB18030 reads it); rename the file to index it")
    return name


def find(root):
    """(dumps, problems): dump files under `root` as sorted relative paths, and DumpErrors.

    Symbolic links are followed while they stay inside `root`: a link that leads out of it
    (to /etc/passwd, /proc/…) is reported and skipped, and so is a link back into a folder
    already seen (a loop) and a dump name that is not a regular file (a pipe, a device).
    Nothing is opened here, only stat'ed.
    """
    found, problems = [], []
    seen = set()
    root = os.path.abspath(root)
    real_root = os.path.realpath(root)

    def walk(folder):
        try:
            st = os.stat(folder)
        except OSError as e:
            problems.append(DumpError(os.path.relpath(folder, root), f"cannot open folder: {e.strerror}"))
            return
        if (st.st_dev, st.st_ino) in seen:
            problems.append(DumpError(os.path.relpath(folder, root), "symbolic link loop, skipped"))
            return
        seen.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            problems.append(DumpError(os.path.relpath(folder, root), f"cannot list folder: {e.strerror}"))
            return
        for entry in entries:
            if not entry.name.startswith("."):
                visit(entry)

    def visit(entry):
        rel = os.path.relpath(entry.path, root)
        dump_name = entry.name.lower().endswith(SUFFIXES)
        link = entry.is_symlink()
        try:
            st = os.stat(entry.path)
        except FileNotFoundError:
            if link and dump_name:
                problems.append(DumpError(rel, "broken symbolic link"))
            return
        except OSError as e:
            problems.append(DumpError(rel, f"cannot follow: {e.strerror}"))
            return
        is_dir = stat.S_ISDIR(st.st_mode)
        if not (is_dir or dump_name):
            return
        if link:
            target = os.path.realpath(entry.path)
            if os.path.commonpath([real_root, target]) != real_root:
                problems.append(DumpError(rel, f"symbolic link out of the dumps folder (to {target})"))
                return
        if is_dir:
            walk(entry.path)
        elif not stat.S_ISREG(st.st_mode):
            problems.append(DumpError(rel, NOT_REGULAR))
        else:
            try:
                found.append(check_name(rel).replace(os.sep, "/"))
            except DumpError as e:
                problems.append(e)

    walk(root)
    return sorted(found), problems
