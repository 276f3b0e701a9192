"""What a load of the embedded open data did: one step per product, printed as it ends."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Step:
    label: str
    status: str  # "chargé", "déjà chargé", "ignoré"
    seconds: float = 0.0
    detail: str = ""
    report: list[str] = field(default_factory=list)  # the importer's whole report

    def line(self, index: int, total: int) -> str:
        width = len(str(total))
        detail = f" — {self.detail}" if self.detail else ""
        return f"[{index:>{width}}/{total}] {self.label} : {self.status} ({self.seconds:.1f} s){detail}"


@dataclass
class LoadReport:
    steps: list[Step] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def loaded(self) -> list[Step]:
        return [s for s in self.steps if s.status == "chargé"]

    def lines(self, *, details: bool = False) -> list[str]:
        """One line per step (``details``: followed by the importer's whole report)."""
        n = len(self.steps)
        out = []
        for i, s in enumerate(self.steps, 1):
            out.append(s.line(i, n))
            if details:
                out.extend(f"      {line}" for line in s.report)
        out.append(
            f"Données ouvertes embarquées : {len(self.loaded)} étapes exécutées, "
            f"{n - len(self.loaded)} sans objet, en {self.seconds:.1f} s."
        )
        return out


def counts(report) -> str:
    parts = []
    for name, t in getattr(report, "tables", {}).items():
        parts.append(f"{name} : {t.created} créés, {t.updated} modifiés, {t.unchanged} inchangés")
    skipped = report.skipped if isinstance(getattr(report, "skipped", None), dict) else {}
    if sum(skipped.values()):
        reasons = ", ".join(f"{n} : {reason}" for reason, n in sorted(skipped.items()))
        parts.append(f"{sum(skipped.values())} lignes ignorées ({reasons})")
    if not parts and hasattr(report, "lines"):
        parts = report.lines()[:1]
    return " ; ".join(parts)
