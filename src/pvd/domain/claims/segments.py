"""The text cut into plain and highlighted pieces: each claim's figure and territory marked
with its verdict (a figure shared by several territories takes the worst of their verdicts)."""

from __future__ import annotations

from dataclasses import dataclass

from pvd.domain.claims import lexicon as lx
from pvd.domain.claims.check import Report


@dataclass(frozen=True)
class Segment:
    text: str
    status: str = ""  # "" for plain text
    claims: tuple[int, ...] = ()  # claim numbers (1-based, as listed)
    kind: str = ""  # "chiffre" or "territoire"

    @property
    def label(self) -> str:
        return lx.STATUS_LABELS.get(self.status, "")

    @property
    def slug(self) -> str:
        return lx.STATUS_SLUGS.get(self.status, "")


def segments(report: Report) -> list[Segment]:
    spans: dict[tuple[int, int], list[int]] = {}
    kinds: dict[tuple[int, int], str] = {}
    for i, v in enumerate(report.verdicts):
        c = v.claim
        if c is None:
            continue
        spans.setdefault((c.start, c.end), []).append(i)
        kinds[(c.start, c.end)] = "chiffre"
        if c.scope_start >= 0:
            spans.setdefault((c.scope_start, c.scope_end), []).append(i)
            kinds[(c.scope_start, c.scope_end)] = "territoire"
    out: list[Segment] = []
    pos = 0
    text = report.text
    for (s, e), idx in sorted(spans.items()):
        if s < pos:
            continue  # overlapping spans: the first one is kept
        if s > pos:
            out.append(Segment(text[pos:s]))
        statuses = {report.verdicts[i].status for i in idx}
        worst = next(st for st in lx.SEVERITY if st in statuses)
        out.append(Segment(text[s:e], worst, tuple(i + 1 for i in idx), kinds[(s, e)]))
        pos = e
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out
