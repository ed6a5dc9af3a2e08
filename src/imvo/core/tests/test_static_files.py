"""`imvo serve` collects static files only when a source file changed."""

import os

from imvo.core import static_files


def test_collect_runs_only_when_sources_change(tmp_path, settings, monkeypatch):
    settings.STATIC_ROOT = tmp_path
    ran = []
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: ran.append(a[0]))
    assert static_files.collect_if_changed() and ran == ["collectstatic"]
    assert not static_files.collect_if_changed() and ran == ["collectstatic"]

    css = next(p for p in (settings.BASE_DIR / "core" / "static").rglob("*.css"))
    st = css.stat()
    try:
        os.utime(css, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert static_files.collect_if_changed() and len(ran) == 2
    finally:
        os.utime(css, ns=(st.st_atime_ns, st.st_mtime_ns))
