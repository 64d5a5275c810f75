"""Real headless Chromium (tests/browser.py): Neo4j Browser served by the
running Neo4j, with kg's address, style and library query; and the kg viz page.

Screenshots land in tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import pytest
from selenium.common.exceptions import ElementClickInterceptedException, TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from kg.export import draw
from kg.query import browser_param_command, browser_url, load_query, style_path
from tests.browser import console_errors, open_browser, save_screenshot
from tests.conftest import NEO4J_HTTP_PORT
from tests.test_query import NEO4J_PASSWORD, NEO4J_URI, embedded_store, neo4j_store  # noqa: F401 (fixtures: stores holding the fictional graphs)

#: Fires the drag-and-drop events of a file dropped on the page, as a user
#: dropping style.grass on the Browser window would.
DROP_FILE = """
const [text, name] = arguments;
const data = new DataTransfer();
data.items.add(new File([text], name, {type: 'text/plain'}));
const target = document.querySelector('[data-testid=frame]') || document.body;
for (const type of ['dragenter', 'dragover', 'drop']) {
  target.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true, cancelable: true}));
}
"""


@pytest.fixture(scope="module")
def browser():
    with open_browser() as driver:
        yield driver


def frame_with(driver, text):
    for frame in driver.find_elements(By.CSS_SELECTOR, "[data-testid=frame]"):
        if frame.find_element(By.CSS_SELECTOR, "[data-testid=frameCommand]").text.startswith(text):
            return frame
    return None


def wait_for(driver, condition, what, timeout=30):
    """Wait until condition(driver); on time-out keep a screenshot and say what was awaited."""
    try:
        return WebDriverWait(driver, timeout).until(condition)
    except TimeoutException:
        shot = save_screenshot(driver, "neo4j-browser-failure")
        raise AssertionError(f"gave up after {timeout} s waiting for {what} (screenshot {shot})") from None


def run_in_editor(driver, command):
    editor = driver.find_element(By.CSS_SELECTOR, ".monaco-editor textarea")
    editor.click()
    ActionChains(driver).send_keys(command).perform()
    driver.find_element(By.CSS_SELECTOR, "[data-testid=editor-Run]").click()


def test_neo4j_browser_runs_a_library_query_with_kg_style_and_draws_the_graph(neo4j_store):
    query = load_query("entity-network")
    with open_browser(1280, 1000) as driver:
        driver.get(browser_url(NEO4J_URI, http_port=NEO4J_HTTP_PORT, editor=query.text))
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "input[data-testid=password]"),
                 "the connection form", timeout=60)
        # the address filled in the connection form and the editor
        field = {name: driver.find_element(By.CSS_SELECTOR, f"input[data-testid={name}]").get_attribute("value")
                 for name in ("boltaddress", "database", "username")}
        assert field == {"boltaddress": NEO4J_URI.split("://", 1)[1], "database": "neo4j", "username": "neo4j"}
        assert driver.find_element(By.CSS_SELECTOR, ".monaco-editor .view-lines").text.startswith(
            "// The relations around an entity as a graph")

        driver.find_element(By.CSS_SELECTOR, "input[data-testid=password]").send_keys(NEO4J_PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "button[data-testid=connect]").click()
        wait_for(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "input[data-testid=password]"),
                 "the connection form to go (connected)")

        driver.execute_script(DROP_FILE, style_path().read_text("utf-8"), "style.grass")
        wait_for(driver, lambda d: frame_with(d, ":style"), "the :style frame of the dropped style.grass")

        driver.find_element(By.CSS_SELECTOR, "[data-testid=editor-Run]").click()  # the library query, verbatim
        wait_for(driver, lambda d: "ParameterMissing" in d.page_source, "the query to ask for $name")
        run_in_editor(driver, browser_param_command("name", "Bram Holloway"))  # as kg browse --param prints it
        wait_for(driver, lambda d: "Successfully set your parameters" in d.page_source, "the :param frame")
        # Re-run the library query's frame; on a loaded machine the first click can land
        # before the frame takes it, or on a frame still laying itself out over the button,
        # so click again until the graph is drawn.
        for _ in range(3):
            WebDriverWait(driver, 20, ignored_exceptions=(ElementClickInterceptedException,)).until(
                lambda d: frame_with(d, "// The relations around").find_element(
                    By.CSS_SELECTOR, "[data-testid=rerunFrameButton]").click() or True)
            try:
                WebDriverWait(driver, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "svg g.node")) == 5)
                break
            except TimeoutException:
                continue
        wait_for(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "svg g.node")) == 5, "5 nodes drawn")
        wait_for(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "svg g.relationship")) == 8,
                 "8 relationships drawn")
        driver.execute_script("arguments[0].scrollIntoView()", frame_with(driver, "// The relations around"))
        save_screenshot(driver, "neo4j-browser-entity-network")
        fills = driver.execute_script(
            "return Array.from(document.querySelectorAll('svg g.node circle.b-outline'), c => c.getAttribute('fill'))")
        captions = driver.execute_script(
            "return Array.from(document.querySelectorAll('svg g.node'),"
            " g => Array.from(g.querySelectorAll('text.caption'), t => t.textContent.trim()).join(' '))")
        types = driver.execute_script(
            "return Array.from(document.querySelectorAll('svg g.relationship text'), t => t.textContent.trim())")

    # kg's style: colour per label (3 people, an organisation, a group)
    assert sorted(fills) == ["#4E79A7", "#4E79A7", "#4E79A7", "#B07AA1", "#F28E2B"]
    # the name as caption (the Browser shortens long ones with an ellipsis)
    assert sorted(c.split()[0] for c in captions) == ["Ada", "Bram", "Cleo", "Harbor", "Northwind"]
    assert sorted(types) == ["CRITICIZED"] * 3 + ["DONATED_TO"] * 2 + ["ENDORSES"] * 3


def show(browser, page):
    console_errors(browser)  # drop messages of an earlier page
    browser.get(page.as_uri())
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
    return console_errors(browser)


def test_the_whole_graph_page_loads_without_errors_and_draws_every_entity(browser, store, tmp_path):
    page = tmp_path / "graph.html"
    assert draw(store, page) == {"nodes": 7, "pairs": 9, "evidence": 11, "hidden": 0}
    assert show(browser, page) == []
    assert browser.execute_script("return window.kgGraph.nodeCount") == 7
    assert browser.execute_script("return window.kgGraph.network.body.data.nodes.length") == 7
    assert browser.execute_script("return window.kgGraph.edgeCount") == 9  # per source, target and type
    save_screenshot(browser, f"kg-viz-whole-{type(store).__name__}")


def test_the_entity_page_draws_the_neighbourhood(browser, store, tmp_path):
    page = tmp_path / "ncf.html"
    draw(store, page, entity="NCF", depth=2)
    assert show(browser, page) == []
    ids = browser.execute_script("return window.kgGraph.network.body.data.nodes.getIds()")
    assert sorted(ids) == sorted(["org:northwind civic fund", "person:bram holloway", "person:ada quill",
                                  "norp:harbor party", "person:cleo marsh"])


def test_the_query_page_draws_what_the_query_returned(browser, store, tmp_path):
    page = tmp_path / "path.html"
    draw(store, page, query="shortest-path", params={"source": "Cleo Marsh", "target": "NCF"})
    assert show(browser, page) == []
    assert browser.execute_script("return window.kgGraph.nodeCount") == 3
    assert browser.execute_script("return window.kgGraph.edgeCount") == 2  # the two donations merge into one arrow
    assert browser.title == "kg: shortest-path source=Cleo Marsh target=NCF"
    save_screenshot(browser, f"kg-viz-shortest-path-{type(store).__name__}")
