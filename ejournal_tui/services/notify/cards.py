"""Report cards for the digests: the same parents' progress reports as `export report-cards`
(`services.exports`), for the families on paper (one PDF per class, written and logged as
an export) and, when the school wants it (`notify_attach_card`), attached to a family's
message (one page per pupil, one attachment per class of the family)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ejournal_tui.exporters.data import ReportCardsDoc
from ejournal_tui.exporters.digest_data import Attachment
from ejournal_tui.exporters.fonts import FontFiles
from ejournal_tui.services.context import Actor, Database
from ejournal_tui.services.exports import ExportResult, export_report_cards
from ejournal_tui.services.exports.single import font_for
from ejournal_tui.services.notify.scope import PupilInScope

WEEKS = 2  # the report cards' span: parents on paper get one at least every two weeks (001)


def free_path(folder: Path, stem: str) -> Path:
    """`folder/stem.pdf`, or `stem-2.pdf`, … when taken: an earlier run's file may not have
    been printed yet, and is never replaced."""
    path, n = folder / f"{stem}.pdf", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.pdf"
    return path


def print_paper(db: Database, actor: Actor, class_name: str, pupil_ids: Iterable[int], folder: Path,
                stamp: str) -> ExportResult:
    """One PDF of the class's paper families' report cards in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = free_path(folder, f"report-cards-{class_name}-paper-{stamp}")
    return export_report_cards(db, actor, class_name, WEEKS, path, pupil_ids=set(pupil_ids))


class CardAttachments:
    """Report cards for messages, each class's read once per run."""

    def __init__(self, db: Database, actor: Actor) -> None:
        self.db, self.actor = db, actor
        self._docs: dict[str, tuple[ReportCardsDoc, tuple[int, ...]]] = {}
        self._font: FontFiles | None = None
        self._binding = 0.0

    def _class_doc(self, class_name: str) -> tuple[ReportCardsDoc, tuple[int, ...]]:
        if class_name not in self._docs:
            from ejournal_tui.services.exports.summary_doc import report_cards_by_pupil

            with self.db.uow(read_only=True) as uow:
                doc, _, ids = report_cards_by_pupil(uow, self.actor, class_name, WEEKS)
                self._font = self._font or font_for(uow.settings)
                self._binding = float(uow.settings.binding_margin_mm)
            self._docs[class_name] = (doc, ids)
        return self._docs[class_name]

    def for_family(self, pupils: list[PupilInScope]) -> tuple[Attachment, ...]:
        from ejournal_tui.exporters.report_cards import report_cards_pdf

        out = []
        for class_name in dict.fromkeys(p.class_name for p in pupils):
            doc, ids = self._class_doc(class_name)
            wanted = {p.id for p in pupils if p.class_name == class_name}
            cards = tuple(card for card, pid in zip(doc.cards, ids, strict=True) if pid in wanted)
            if not cards:
                continue
            data, _ = report_cards_pdf(replace(doc, cards=cards), self._font, self._binding)  # type: ignore[arg-type]
            names = ", ".join(p.short_name for p in pupils if p.class_name == class_name)
            out.append(Attachment(f"Отчёт об успеваемости — {names}, {class_name}.pdf", data))
        return tuple(out)
