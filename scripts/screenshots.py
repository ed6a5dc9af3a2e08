"""Screenshots of the complaint form at 320 px wide in every shipped language.

`make screenshots` builds a fresh demo install in a temporary folder, serves it,
and writes screenshots/complaint-form-<language>.png (plus the follow-up page),
so a person can check layout, script rendering and right-to-left languages.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

LANGUAGES = ["nl", "en", "bn", "hi", "tr", "zh-hans", "vi", "es", "fr", "ar"]
PAGES = {"complaint-form": "/complaints/new/", "complaint-follow": "/complaints/follow/", "home": "/"}
PORT = int(os.environ.get("SCREENSHOT_PORT", "8199"))
OUT = Path(os.environ.get("SCREENSHOT_DIR", "screenshots"))


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "IMVO_VAR_DIR": var, "DEBUG": "1"}
        env.pop("DATABASE_URL", None)
        imvo = [sys.executable, "-m", "imvo.cli"]
        subprocess.run([*imvo, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen(
            [*imvo, "serve", "--port", str(PORT), "--no-worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Its own process group: `imvo serve` starts gunicorn as a child, which a
            # plain terminate() left running (and holding the port) after the script.
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{PORT}"
            for _ in range(60):
                try:
                    urllib.request.urlopen(base + "/health/", timeout=2)  # noqa: S310 - loopback only
                    break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
                )
                for lang in LANGUAGES:
                    ctx = browser.new_context(
                        viewport={"width": 320, "height": 640},
                        locale=lang,
                        java_script_enabled=False,
                        extra_http_headers={"Accept-Language": lang},
                    )
                    page = ctx.new_page()
                    for name, path in PAGES.items():
                        page.goto(base + path)
                        target = OUT / f"{name}-{lang}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(target)
                    ctx.close()
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
