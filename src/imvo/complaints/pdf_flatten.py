"""Flatten a PDF to pictures of its pages and build a new PDF of them (the
Dangerzone approach): nothing of the original file survives but its pixels,
so no script, action, link, form, attachment, metadata, font or embedded
photo (with its GPS position and phone model) reaches whoever gets the copy.

Pages are drawn by PDFium (pypdfium2) in a separate process with its own CPU
and memory limits (`flatten_pdf`), so a hostile or broken file can neither
take the web process down nor hang it. The child runs this module:
``python -m imvo.complaints.pdf_flatten`` reads the PDF on standard input and
writes the new PDF on standard output; on failure it exits with status 3 and
one word on standard error (``unreadable``, ``locked``, ``pages``).

Plain module (no Django): the child imports only pypdfium2, Pillow and pikepdf.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys

DPI = 150  # readable text and photos; a page is about 1240 x 1754 pixels
MAX_PAGES = 50
MAX_PAGE_PIXELS = 12_000_000  # a huge page is drawn smaller, not refused
CPU_SECONDS = 60
MEMORY_BYTES = 1536 * 1024 * 1024
WALL_SECONDS = 90


class FlattenError(Exception):
    """The PDF cannot be flattened; ``reason`` is one of unreadable, locked, pages."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def flatten_in_process(data: bytes, dpi: int = DPI) -> bytes:
    """Draw every page and build a new PDF of the pictures (runs in the child)."""
    import pikepdf
    import pypdfium2 as pdfium
    from PIL import Image

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise FlattenError("locked" if "password" in str(e).lower() else "unreadable") from e
    try:
        n = len(doc)
        if n == 0:
            raise FlattenError("unreadable")
        if n > MAX_PAGES:
            raise FlattenError("pages")
        pages: list[Image.Image] = []
        for i in range(n):
            page = doc[i]
            width, height = page.get_size()  # in points (1/72 inch)
            scale = dpi / 72
            if width * height * scale * scale > MAX_PAGE_PIXELS:
                scale = (MAX_PAGE_PIXELS / (width * height)) ** 0.5
            # No form environment is set up, so no form script runs; the visible
            # appearance of annotations (stamps, filled fields) is kept as pixels.
            bitmap = page.render(scale=scale, draw_annots=True)
            pages.append(bitmap.to_pil().convert("RGB"))
            page.close()
    finally:
        doc.close()
    raw = io.BytesIO()
    pages[0].save(raw, format="PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    # Pillow writes a comment naming itself and may write document information;
    # pikepdf rewrites the file without either, with a fixed file identifier.
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(raw.getvalue())) as pdf:
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def _limit_child() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def flatten_pdf(data: bytes, dpi: int = DPI) -> bytes:
    """The safe copy of a PDF, made in a child process under CPU, memory and
    time limits. Raises FlattenError with the reason when it cannot be made."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "HOME")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            [sys.executable, "-m", "imvo.complaints.pdf_flatten", str(dpi)],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise FlattenError("unreadable") from e
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        word = done.stderr.decode("ascii", "replace").strip().split()[-1:] or ["unreadable"]
        raise FlattenError(word[0] if word[0] in ("locked", "pages") else "unreadable")
    return done.stdout


def main() -> int:
    _limit_child()
    dpi = int(sys.argv[1]) if len(sys.argv) > 1 else DPI
    data = sys.stdin.buffer.read()
    try:
        out = flatten_in_process(data, dpi)
    except FlattenError as e:
        sys.stderr.write(e.reason + "\n")
        return 3
    except Exception as e:  # a renderer failure on a hostile file: refuse it, say nothing more
        sys.stderr.write(f"{type(e).__name__} unreadable\n")
        return 3
    sys.stdout.buffer.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
