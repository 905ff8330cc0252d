"""The web pages in a real headless Chromium against a live ``lexgraph serve`` over the seed
build: what a user clicks, reads and reaches with the keyboard. Screenshots go to
``tests/artifacts/``.

Needs Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``,
``/usr/bin/chromedriver``); selenium is pointed at both, so selenium-manager never downloads
anything.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from selenium import webdriver  # a dev dependency: always installed with the suite
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing or not shutil.which("chromedriver"):
        pytest.skip(
            f"browser tests need Debian's chromium and chromium-driver ({', '.join(missing)} "
            "missing): apt-get install chromium chromium-driver"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1366,900",
        "--lang=nl",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver: WebDriver, name: str) -> None:
    driver.save_screenshot(str(ARTIFACTS / f"web-{name}.png"))


def path_of(driver: WebDriver) -> str:
    return unquote(urlsplit(driver.current_url).path)


def no_console_errors(driver: WebDriver) -> None:
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors  # CSP violations and missing assets land here


def test_board_shows_piri_advised_against_and_links_to_the_letter(
    browser: WebDriver, live_server: str
) -> None:
    browser.get(live_server + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Toezeggingen en moties"
    row = browser.find_element(By.ID, "motion-piri")
    assert "ontraden" in row.text
    link = row.find_element(By.CSS_SELECTOR, "a.doc-link")
    assert link.text.startswith("Appreciatie motie Piri")
    assert "2 juli 2026" in row.text
    shot(browser, "board")
    no_console_errors(browser)
    link.click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "hl")))
    assert path_of(browser) == "/pages/documents/7753121"
    meta = browser.find_element(By.CSS_SELECTOR, "dl.meta").text
    assert "2 juli 2026" in meta and "7753121" in meta
    target = browser.find_element(By.ID, "hl")
    assert target.text == "Gelet op het voorgaande ontraad ik de motie."
    assert target.is_displayed()
    # the script moves focus to the highlighted passage
    assert browser.switch_to.active_element.get_attribute("id") == "hl"
    shot(browser, "letter-7753121")
    no_console_errors(browser)


def test_decision_note_citation_leads_to_directive_2011_95(
    browser: WebDriver, live_server: str
) -> None:
    browser.get(live_server + "/pages/documents/7747653")
    cite = browser.find_element(By.CSS_SELECTOR, 'a.cite[data-cid="celex:32011L0095"]')
    background = cite.value_of_css_property("background-color")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), "citation not highlighted"
    point = browser.find_element(By.ID, "point-a")
    assert point.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    shot(browser, "decision-note-7747653")
    no_console_errors(browser)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cite)
    cite.click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "crosswalk")))
    assert path_of(browser) == "/pages/instruments/celex:32011L0095"
    assert "2011/95/EU" in browser.find_element(By.TAG_NAME, "h1").text
    crosswalk = browser.find_element(By.ID, "crosswalk")
    hrefs = [a.get_attribute("href") for a in crosswalk.find_elements(By.TAG_NAME, "a")]
    assert "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0095" in hrefs
    impact = browser.find_element(By.ID, "impact-set")
    assert "Beslispunt a (7747653)" in impact.text
    svg = browser.find_element(By.ID, "network-svg")
    assert svg.is_displayed() and svg.size["width"] > 300
    nodes = svg.find_elements(By.CSS_SELECTOR, "a.node")
    assert len(nodes) >= 4
    shot(browser, "instrument-celex-32011L0095")
    browser.execute_script("arguments[0].scrollIntoView()", svg)
    shot(browser, "network-celex-32011L0095")
    no_console_errors(browser)
    # a node of the picture is a working link: the decision note
    doc_node = svg.find_element(By.CSS_SELECTOR, 'a.node-document[href="/pages/documents/7747653"]')
    browser.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", doc_node
    )
    WebDriverWait(browser, 10).until(lambda d: path_of(d) == "/pages/documents/7747653")


def test_timeline_shows_periods_and_the_conflict(browser: WebDriver, live_server: str) -> None:
    browser.get(live_server + "/pages/timeline")
    svg = browser.find_element(By.ID, "timeline-svg")
    assert svg.is_displayed()
    assert len(svg.find_elements(By.CSS_SELECTOR, "g.periods rect")) == 5
    conflict = browser.find_element(By.CSS_SELECTOR, "#statements tr.conflict-row")
    assert "5 maart 2027" in conflict.text and "tegenstrijdig" in conflict.text
    shot(browser, "timeline")
    no_console_errors(browser)


def test_keyboard_skip_link_and_navigation(browser: WebDriver, live_server: str) -> None:
    browser.get(live_server + "/pages/documents")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.get_attribute("class") == "skip-link"
    assert skip.location["y"] >= 0 and skip.is_displayed(), "skip link not shown on focus"
    assert skip.value_of_css_property("outline-style") != "none" or (
        skip.value_of_css_property("top") == "0px"
    )
    shot(browser, "keyboard-skip-link")
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    # from the top, Tab reaches every navigation link, each with a visible focus outline
    browser.get(live_server + "/pages/documents")
    reached: dict[str, str] = {}
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(12):
        el = browser.switch_to.active_element
        href = el.get_attribute("href") or ""
        reached[urlsplit(href).path] = el.value_of_css_property("outline-style")
        el.send_keys(Keys.TAB)
    for path in ("/", "/pages/documents", "/pages/instruments", "/pages/timeline", "/sparql"):
        assert path in reached, f"Tab never reached {path}: {sorted(reached)}"
        assert reached[path] != "none", f"no visible focus on {path}"
    # Enter on a focused nav link follows it
    browser.get(live_server + "/pages/documents")
    link = browser.find_element(By.CSS_SELECTOR, 'nav a[href="/pages/timeline"]')
    link.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: path_of(d) == "/pages/timeline")


def test_language_switch(browser: WebDriver, live_server: str) -> None:
    browser.get(live_server + "/")
    browser.find_element(By.CSS_SELECTOR, 'a[hreflang="en"]').click()
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.TAG_NAME, "h1").text == "Commitments and motions"
    )
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    row = browser.find_element(By.ID, "motion-piri")
    assert "advised against" in row.text and "ontraden" in row.text
    shot(browser, "board-en")
    nav = browser.find_element(By.CSS_SELECTOR, 'nav a[href^="/pages/instruments"]')
    assert "lang=en" in (nav.get_attribute("href") or "")
