"""Headless Chromium for tests that need a real browser (graph page, Neo4j Browser).

Uses Debian's ``chromium`` and ``chromium-driver`` packages. The flags keep
Chromium from phoning home, which on a closed network shows up as noise or
hangs; each browser gets a throw-away profile.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
#: Screenshots and other files worth looking at after a run (gitignored).
ARTIFACTS = Path(__file__).parent / "artifacts"

_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@contextmanager
def open_browser(width: int = 1280, height: int = 900) -> Iterator[webdriver.Chrome]:
    """Start headless Chromium and yield its selenium driver; quit it on exit."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not Path(binary).exists():
            raise FileNotFoundError(
                f"{binary} is missing: apt-get install -y --no-install-recommends chromium chromium-driver"
            )
    with tempfile.TemporaryDirectory(prefix="kg-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in _FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def console_errors(driver: webdriver.Chrome, level: str = "SEVERE") -> list[str]:
    """Console messages at ``level`` since the last call (reading drains the log)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == level]


def save_screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """Save a PNG of the current viewport as ``tests/artifacts/<name>.png`` and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
