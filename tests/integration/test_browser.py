"""A real headless Chromium (Debian's, driven by Playwright) through the whole life of an ad.

The app is served by a real HTTP server on 127.0.0.1 with the session's test
settings; the session's Celery worker indexes what the browser posts.
Screenshots land in build/screenshots/ for a human look at the RTL layout.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.integration.conftest import app_under_test
from tests.polling import wait_until

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class QuietHandler(WSGIRequestHandler):
    """No request log: the test output stays the pytest report."""

    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


@pytest.fixture(scope="module")
def live_server(test_settings, worker) -> Iterator[str]:
    """A real server whose configured public URL is its own, as links shown after posting use it."""
    # The app needs the server's port for its public URL, so it is set once the server exists.
    server = make_server("127.0.0.1", 0, None, threaded=True, request_handler=QuietHandler)  # type: ignore[arg-type]  # app set below
    url = f"http://127.0.0.1:{server.server_port}"
    server.app = app_under_test(test_settings.with_overrides(public_base_url=url))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run devstack/bootstrap.sh (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser, viewport: dict[str, int], problems: list[str]):
    context = browser.new_context(viewport=viewport, locale="ar-SY", is_mobile=viewport is PHONE,
                                  has_touch=viewport is PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return page


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def unique_word() -> str:
    return "zq" + "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))


def fill_ad(page, title: str, phone: str) -> None:
    page.fill("#title", title)
    page.select_option("#category", "cars")
    page.select_option("#area", "homs-city")
    page.fill("#price", "١٢٬٥٠٠")
    page.select_option("#currency", "USD")
    page.check("#condition-used")
    page.fill("#description", "سيارة نظيفة، فحص كامل، صيانة دورية.\nالسعر قابل للنقاش.")
    page.fill("#contact_name", "أبو خالد")
    page.fill("#contact_phone", phone)


def test_an_ad_from_posting_to_withdrawal(browser, live_server):
    problems: list[str] = []
    page = new_page(browser, DESKTOP, problems)
    tag = unique_word()
    title = f"سيارة هيونداي أكسنت {tag} للبيع"

    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_text("اكتشف ما حولك").is_visible()
    shot(page, "home")

    page.get_by_role("link", name="انشر إعلانك مجاناً").click()
    shot(page, "post-form")
    fill_ad(page, title, phone="١٢")  # too short: the page answers in Arabic, next to the field
    page.get_by_role("button", name="انشر الإعلان").click()
    assert page.locator("#contact_phone-error").inner_text().startswith("اكتب رقم هاتف صحيحاً")
    assert page.input_value("#title") == title
    shot(page, "post-form-errors")
    page.fill("#contact_phone", "٠٩٣٣ ٤٤٥ ٦٦٧")
    page.get_by_role("button", name="انشر الإعلان").click()
    assert "يُعرض مرة واحدة فقط" in page.content()
    manage_url = page.input_value("#manage-url")
    assert "/manage/" in manage_url and "token=" in manage_url

    # Found by an orthographic variant of its title (ه for ة), once the worker indexed it.
    page.goto(live_server + "/")
    page.fill("#home-q", f"سياره {tag}")
    page.press("#home-q", "Enter")

    def listed() -> bool:
        if page.locator(".card", has_text=tag).count():
            return True
        page.reload()
        return False

    wait_until(listed, timeout=30, interval=0.5, what="the posted ad in the results")
    assert page.locator(".card mark").first.inner_text()

    # Narrow with a facet: the checkbox submits the plain GET form (enhanced by souq.js).
    with page.expect_navigation():
        page.check("#f-area-homs")
    assert "area=homs" in page.url and page.locator(".card", has_text=tag).count() == 1
    shot(page, "results-desktop")
    phone_page = new_page(browser, PHONE, problems)
    phone_page.goto(page.url)
    assert phone_page.locator(".card", has_text=tag).is_visible()
    shot(phone_page, "results-phone")
    phone_page.context.close()

    page.locator(".card a", has_text=tag).click()
    assert page.locator("h1").inner_text() == title
    assert "١٢٬٥٠٠ دولار" in page.locator(".ad-price").inner_text()
    page.get_by_role("button", name="أظهر رقم الهاتف").click()
    assert page.locator(".phone a").inner_text() == "0933445667"
    shot(page, "ad-page")

    page.goto(manage_url)
    page.fill("#title", f"سيارة هيونداي أكسنت {tag} موديل 2012")
    page.get_by_role("button", name="احفظ التعديلات").click()
    assert "حُفظت التعديلات" in page.locator(".notice").inner_text()
    page.get_by_role("link", name="صفحة الإعلان").click()
    assert "موديل 2012" in page.locator("h1").inner_text()

    page.goto(manage_url)
    page.get_by_role("button", name="اسحب الإعلان نهائياً").click()
    assert "سُحب الإعلان" in page.locator(".notice").inner_text()
    page.goto(live_server + "/search?q=" + f"سياره {tag}")
    wait_until(lambda: page.reload() or page.locator(".card", has_text=tag).count() == 0,
               timeout=30, interval=0.5, what="the withdrawn ad gone from the results")

    blocked = [p for p in problems if re.search(r"Content Security Policy|Refused", p)]
    assert not blocked, blocked
    page.context.close()
