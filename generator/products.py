"""What the build's stages make, handed on to the stages after them (see build.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.markup.markdown import Asset
from generator.model import Content
from generator.outputs.ebooks.epub import Ebook
from generator.outputs.newsletter import Edition
from generator.outputs.opendata.packages import Package
from generator.outputs.printed.issues import IssuePdf
from generator.outputs.printed.yearbook import BookPdf
from generator.reading.history import ChangeRecord

#: The key of MkDocs' config under which ``python -m generator build`` hands the MkDocs plugin the
#: :class:`Products` (set on the config that build loads, so it lives exactly as long as that build).
CONFIG_KEY = "jiahe_products"
#: Set in MkDocs' config by ``python -m generator build``, which builds "dirty" (see build.website):
#: the gazette's pages are rendered apart (website/apart.py). MkDocs tells a plugin that it builds
#: dirty only when run from its own command line (``on_startup``).
APART_KEY = "jiahe_apart"
#: Set in MkDocs' config by ``serve`` (generator/preview.py): the plugin renders no generated page
#: but hands each to the preview, which makes it when the browser asks for it.
PREVIEW_KEY = "jiahe_preview"


@dataclass(frozen=True)
class Products:
    """The checked content and everything made from it before the website: the website's pages
    show them (e-book sizes, data tables, the directory's changes) and publish their files."""

    root: Path  # the project folder
    content: Content
    record: ChangeRecord  # the directory's change record, from git
    ebooks: tuple[Ebook, ...]
    packages: tuple[Package, ...]  # the open-data packages, validated
    data_files: tuple[Asset, ...] = ()  # every data file, already written (see build.open_data)
    newsletters: tuple[Edition, ...] = ()  # each issue's newsletter (generator/outputs/newsletter/)
    #: The print edition: each issue's PDF (its ``uri`` is the address to link, e.g. from the newsletter)
    #: and the page of each notice in it.
    pdfs: tuple[IssuePdf, ...] = ()
    book_pdfs: tuple[BookPdf, ...] = ()  # the yearbook's print edition, each edition in each language

    def pdf_of(self, issue_id: str) -> IssuePdf | None:
        """The print edition of an issue (``2026/03``), if the build made it."""
        return next((pdf for pdf in self.pdfs if pdf.issue == issue_id), None)
