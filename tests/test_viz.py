"""kg.viz pages opened in real headless Chromium (tests/browser.py)."""

from __future__ import annotations

import re
from importlib.resources import files

import networkx as nx
import pytest
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from kg import viz
from tests.browser import console_errors, open_browser, save_screenshot

HOSTILE_NAME = "</script><script>alert(1)</script> $data {{title}}"
HOSTILE_SENTENCE = "He said `<img src=x onerror=alert(2)>` & \u2028left ${x} \"quoted\" 'too' \u00e9\u4e2d."


@pytest.fixture(scope="module")
def browser():
    with open_browser() as driver:
        yield driver


def show(driver, tmp_path, graph, title="Test graph"):
    """Write the page, open it, wait until it is drawn; return the console errors of the load."""
    path = tmp_path / "graph.html"
    viz.write_html(graph, path, title=title)
    console_errors(driver)  # drop messages left by an earlier page
    driver.get(path.as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
    return console_errors(driver)


def entity(graph, key, name, kind, *aliases):
    graph.add_node(key, name=name, type=kind, aliases=list(aliases))


def relation(graph, source, target, kind, sentence, n, amount=None):
    graph.add_edge(
        source, target, type=kind, sentence=sentence, article_id=f"a{n}",
        article_title=f"Harbor Ledger story {n}", url=f"https://news.example/story/{n}",
        amount=amount, confidence=0.9, published="2031-05-0{}".format(n % 9 + 1),
    )


def sample_graph():
    """Seven fictional entities, 11 pieces of evidence, 8 distinct (source, target, type) relations."""
    g = nx.MultiDiGraph()
    entity(g, "person:ada quill", "Ada Quill", "PERSON", "A. Quill")
    entity(g, "person:bram holloway", "Bram Holloway", "PERSON", "Senator Holloway")
    entity(g, "person:cleo marsh", "Cleo Marsh", "PERSON")
    entity(g, "org:northwind civic fund", "Northwind Civic Fund", "ORG", "NCF")
    entity(g, "org:lumen works", "Lumen Works", "ORG")
    entity(g, "norp:harbor party", "Harbor Party", "NORP", "Harborites")
    entity(g, "gpe:port evren", "Port Evren", "GPE")
    for n in (1, 2, 3):
        relation(g, "person:ada quill", "person:bram holloway", "ENDORSES", f"Ada Quill endorsed Bram Holloway ({n}).", n)
    relation(g, "org:northwind civic fund", "person:bram holloway", "DONATED_TO", "NCF gave $25,000 to Holloway.", 4, "$25,000")
    relation(g, "org:northwind civic fund", "person:bram holloway", "DONATED_TO", "NCF gave Holloway $5,000 more.", 5, "$5,000")
    relation(g, "org:lumen works", "norp:harbor party", "DONATED_TO", "Lumen Works funded the Harbor Party.", 6, "$1 million")
    relation(g, "person:cleo marsh", "person:bram holloway", "CRITICIZED", "Cleo Marsh criticized Holloway.", 7)
    relation(g, "person:bram holloway", "person:ada quill", "CRITICIZED", "Holloway criticized Quill.", 8)
    relation(g, "person:ada quill", "person:bram holloway", "CRITICIZED", "Quill later criticized Holloway.", 9)
    relation(g, "norp:harbor party", "person:bram holloway", "ENDORSES", "The Harbor Party backs Holloway.", 10)
    relation(g, "person:cleo marsh", "gpe:port evren", "CRITICIZED", "Marsh criticized Port Evren.", 11)
    return g


def hostile_graph():
    g = nx.MultiDiGraph()
    entity(g, "person:x", HOSTILE_NAME, "PERSON", "<img src=x onerror=alert(3)>")
    entity(g, "org:y", "Y & <b>Co</b>", "ORG")
    relation(g, "person:x", "org:y", "ENDORSES", HOSTILE_SENTENCE, 1)
    return g


def edge_tip_text(driver, source, target):
    return driver.execute_script(
        "const e = window.kgGraph.network.body.data.edges.get({filter: e => e.from === arguments[0] && e.to === arguments[1]});"
        "return e.map(x => x.title.textContent);",
        source, target,
    )


def hover(driver, node_id=None, between=None):
    """Move the real mouse over a node, or over the midpoint of a straight edge."""
    points = driver.execute_script(
        "const n = window.kgGraph.network;"
        "return arguments[0].map(id => n.canvasToDOM(n.getPosition(id)));",
        [node_id] if node_id else list(between),
    )
    x = sum(p["x"] for p in points) / len(points)
    y = sum(p["y"] for p in points) / len(points)
    canvas = driver.find_element(By.CSS_SELECTOR, "#graph canvas")

    def shown(d):
        tips = d.find_elements(By.CSS_SELECTOR, "div.vis-tooltip")
        return tips[0] if tips and tips[0].is_displayed() else None

    # vis-network makes the tooltip after a hover delay; under load a mouse move can be
    # dropped, so move away and back again (at most three times).
    for attempt in range(3):
        corner = (2 - canvas.size["width"] // 2, 2 - canvas.size["height"] // 2)
        ActionChains(driver).move_to_element_with_offset(canvas, *corner).move_to_element_with_offset(
            canvas, int(x - canvas.size["width"] / 2), int(y - canvas.size["height"] / 2)
        ).perform()
        try:
            return WebDriverWait(driver, 5).until(shown).text
        except TimeoutException:
            if attempt == 2:
                raise


def test_page_loads_without_errors_and_draws_every_node(browser, tmp_path):
    assert show(browser, tmp_path, sample_graph()) == []
    assert browser.execute_script("return window.kgGraph.nodeCount") == 7
    assert browser.execute_script("return window.kgGraph.network.body.data.nodes.length") == 7


def test_legend_lists_every_type(browser, tmp_path):
    show(browser, tmp_path, sample_graph(), title="Harbor Ledger sample")
    save_screenshot(browser, "viz-sample")
    nodes = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#node-legend li")]
    edges = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#edge-legend li")]
    assert nodes == ["Person", "Organization", "Group", "Place"]
    assert edges == ["endorses", "donated to", "criticized"]


def test_parallel_evidence_is_merged_per_source_target_and_type(browser, tmp_path):
    show(browser, tmp_path, sample_graph())
    assert browser.execute_script("return window.kgGraph.edgeCount") == 8
    assert browser.execute_script("return window.kgGraph.network.body.data.edges.length") == 8
    counts = browser.execute_script(
        "return window.kgGraph.network.body.data.edges.get().map(e => [e.from, e.to, e.count]);"
    )
    assert sorted(c for _, _, c in counts) == [1, 1, 1, 1, 1, 1, 2, 3]
    [criticize, endorse] = sorted(edge_tip_text(browser, "person:ada quill", "person:bram holloway"))
    assert "3 pieces of evidence" in endorse
    assert all(f"Ada Quill endorsed Bram Holloway ({n})." in endorse for n in (1, 2, 3))
    assert "1 piece of evidence" in criticize


def test_nodes_are_sized_by_degree(browser, tmp_path):
    show(browser, tmp_path, sample_graph())
    sizes = browser.execute_script(
        "const nodes = window.kgGraph.network.body.nodes;"
        "return ['person:bram holloway', 'person:ada quill', 'gpe:port evren'].map(id => nodes[id].options.size);"
    )
    assert sizes[0] > sizes[1] > sizes[2]


def test_physics_stops_after_stabilisation(browser, tmp_path):
    show(browser, tmp_path, sample_graph())
    assert browser.execute_script("return window.kgGraph.network.physics.options.enabled") is False


def test_hovering_an_edge_shows_its_evidence(browser, tmp_path):
    show(browser, tmp_path, sample_graph())
    text = hover(browser, between=("org:lumen works", "norp:harbor party"))
    save_screenshot(browser, "viz-edge-tooltip")
    assert "Lumen Works donated to Harbor Party" in text
    assert "Amount: $1 million" in text
    assert "Lumen Works funded the Harbor Party." in text
    assert "Harbor Ledger story 6" in text
    assert "https://news.example/story/6" in text


def test_an_edge_tooltip_wraps_long_evidence_inside_its_box(browser, tmp_path):
    g = sample_graph()
    long_sentence = " ".join(["Lumen Works said the Harbor Party's harbour plan deserved every dollar it gave."] * 6)
    relation(g, "org:lumen works", "norp:harbor party", "DONATED_TO", long_sentence, 12, "$2 million")
    show(browser, tmp_path, g)
    hover(browser, between=("org:lumen works", "norp:harbor party"))
    box = browser.execute_script("""
        const tip = document.querySelector('div.vis-tooltip');
        const r = tip.getBoundingClientRect();
        return {whiteSpace: getComputedStyle(tip).whiteSpace, overflow: tip.scrollWidth - tip.clientWidth,
                right: r.right, left: r.left, width: r.width, window: window.innerWidth};""")
    save_screenshot(browser, "viz-edge-tooltip-long")
    assert box["whiteSpace"] == "normal"
    assert box["overflow"] <= 0
    assert box["width"] < 500 and box["right"] <= box["window"]


def test_the_header_counts_entities_pairs_and_pieces_of_evidence(browser, tmp_path):
    show(browser, tmp_path, sample_graph())
    assert browser.find_element(By.ID, "counts").text == "7 entities \u00b7 8 related pairs \u00b7 11 pieces of evidence"


def test_hovering_a_node_shows_name_type_aliases_and_degree(browser, tmp_path):
    show(browser, tmp_path, sample_graph())
    text = hover(browser, node_id="org:northwind civic fund")
    assert "Northwind Civic Fund" in text
    assert "Organization · degree 2" in text
    assert "Also known as: NCF" in text


def test_search_finds_a_node_by_alias(browser, tmp_path):
    show(browser, tmp_path, sample_graph())
    box = browser.find_element(By.ID, "search")
    box.send_keys("ncf")
    assert browser.find_element(By.ID, "matches").text == "1 match"
    assert browser.execute_script("return window.kgGraph.network.getSelectedNodes()") == ["org:northwind civic fund"]
    box.clear()
    box.send_keys("HARBOR")  # name of one node, alias "Harborites" of the same, nothing else
    assert browser.find_element(By.ID, "matches").text == "1 match"
    box.clear()
    box.send_keys("o")
    assert browser.find_element(By.ID, "matches").text == "6 matches"


def test_hostile_text_is_shown_as_text_not_run(browser, tmp_path):
    title = "</title><script>alert(4)</script>"
    assert show(browser, tmp_path, hostile_graph(), title=title) == []
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert
    assert browser.title == title
    label = browser.execute_script("return window.kgGraph.network.body.data.nodes.get('person:x').label")
    assert label == HOSTILE_NAME
    [tip] = edge_tip_text(browser, "person:x", "org:y")
    assert HOSTILE_SENTENCE in tip
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0


def test_empty_graph_says_no_entities(browser, tmp_path):
    assert show(browser, tmp_path, nx.MultiDiGraph()) == []
    assert browser.find_element(By.ID, "empty").is_displayed()
    assert "No entities" in browser.find_element(By.ID, "empty").text
    assert browser.execute_script("return window.kgGraph.nodeCount") == 0


def test_page_makes_no_network_requests(browser, tmp_path):
    show(browser, tmp_path, sample_graph())
    assert browser.execute_script("return performance.getEntriesByType('resource').map(r => r.name)") == []


def test_html_references_no_external_script_or_link():
    page = viz.render_html(sample_graph())
    assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.I)
    assert not re.search(r"\s(?:src|href)\s*=\s*[\"']?https?:", page, re.I)
    assert "sourceMappingURL" not in page


def test_bundled_vis_network_matches_recorded_version():
    bundle = (files("kg") / "assets" / "vis-network.min.js").read_text(encoding="utf-8")
    assert f"@version {viz.VIS_NETWORK_VERSION}\n" in bundle
    assert "</script" not in bundle.lower()  # inlined into a <script> element
