"""The fixture pages of every layout (tests/data/layouts/), scored like the shared gold sets.

Each folder holds pages in one layout and their gold.json; bench.segmentation scores them
the way /work/shared/tools/score_parse.py does. Bars: boundary F1 ≥ 0.97, titles ≥ 0.95,
and every listed column break repaired.
"""
import pytest

from bench import segmentation

from builders import TESTS_DATA

LAYOUTS = TESTS_DATA / "layouts"
FOLDERS = sorted(p.name for p in LAYOUTS.iterdir() if (p / "gold.json").is_file())


def test_every_layout_has_pages_and_there_are_forty():
    assert FOLDERS == ["blank-lines", "briefs", "broadcast", "feature", "html", "indented-no-blanks", "markdown",
                       "national", "relaid", "stream"]
    pages = [p for folder in FOLDERS for p in (LAYOUTS / folder).iterdir() if p.suffix in (".txt", ".md")]
    assert len(pages) >= 40


@pytest.mark.parametrize("folder", FOLDERS)
def test_layout_is_cut_right(folder):
    misses = []
    s = segmentation.score(LAYOUTS / folder / "gold.json", LAYOUTS / folder,
                           report=lambda kind, text: misses.append(f"{kind} {text}"))
    assert s["f1"] >= 0.97, (segmentation.line(s), misses)
    assert s["title"] / s["gold"] >= 0.95, (segmentation.line(s), misses)
    if s["joins_total"]:
        assert s["joins"] == s["joins_total"], (segmentation.line(s), misses)
