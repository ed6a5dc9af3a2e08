"""Our HTML pages as PDFs (WeasyPrint), without letting their text reach out.

WeasyPrint fetches every URL a page names (images, stylesheets, fonts) by
default, ``file://`` and ``http://`` included. A PDF made from text that members,
complainants or the secretariat typed must never make the server read one of
its own files or call an address inside its network (a cloud metadata service
at 169.254.169.254). Our PDFs embed what they show as ``data:`` URIs, so
that is the only scheme fetched; every PDF is made through ``html_to_pdf``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher


def data_only_fetcher() -> URLFetcher:
    """A WeasyPrint URL fetcher that fetches ``data:`` URIs and refuses everything else."""
    from weasyprint.urls import URLFetcher  # heavy; only when a PDF is made

    return URLFetcher(allowed_protocols=["data"])


def html_to_pdf(html: str, stylesheets: Sequence[str] = ()) -> bytes:
    """The PDF of `html`; `stylesheets` are paths of our own CSS files."""
    from weasyprint import CSS, HTML  # heavy; only when a PDF is made

    fetcher = data_only_fetcher()
    css = [CSS(filename=path, url_fetcher=fetcher) for path in stylesheets]
    # base_url "." so a relative URL resolves (to file:) and is then refused,
    # rather than depending on how WeasyPrint treats a missing base.
    document = HTML(string=html, base_url=".", url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=css))
