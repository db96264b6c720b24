"""Why a dump was cut the way it was: what `search-index parse --explain` prints.

For each item, the evidence that started it; for each headline run that did not start
one, why (a subhead, a banner, a late title, a signature). A newsroom whose paper is cut
wrongly can see which evidence was missing and add a lead formula to data/leads.txt or pin
the source's layout in data/sources.tsv instead of changing code.
"""
from dataclasses import dataclass

from .parse import cut_text, read_file
from .segment import Cut


@dataclass
class Explanation:
    source: str
    cut: Cut

    def lines(self):
        """The explanation as plain text lines."""
        facts = self.cut.facts
        shows = [what for what, seen in (("leads, bylines or credits", facts.formulas),
                                         ("headlines set apart by blank lines", facts.spacing)) if seen]
        layout = f"{self.cut.layout} ({'pinned in sources.tsv' if facts.profile.pinned else 'detected'})"
        count = len(self.cut.items)
        yield (f"{self.source}: layout {layout}; {count} item{'' if count == 1 else 's'}; "
               f"the dump shows {', '.join(shows) or 'no lead, byline, credit or spacing'}")
        for d in self.cut.decisions:
            where = f"item {d.item}" if d.started else "  -   "
            yield f"  {where:<8} line {d.line:<5} {d.text}"
            verb = "starts it:" if d.started else "stays:"
            for reason in d.reasons:
                yield f"  {'':<8} {verb} {reason}"
                verb = " " * len(verb)


def explain_file(path, root=None):
    text, source = read_file(path, root)
    return Explanation(source, cut_text(text, source))
