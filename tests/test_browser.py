"""The pages in a real browser: Debian's Chromium driven by Playwright against a real server.

Each test takes screenshots into test-artifacts/browser/ (git-ignored; CI keeps them) and
runs axe-core (from npm, installed by `make install-dev` into .cache/node) on the pages it
visits: no serious or critical violation may remain. Chromium is started with a fresh
profile and without background networking, so the only host it talks to is our server.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import EXAMPLE_SSBD, REPO
from tests.servers import free_port, wait_until_up
from tests.test_ssbd_template import GOOD_ROW, make_template

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "browser"
EXAMPLE_BD5 = REPO / "examples" / "bd5" / "081505_L1_bd5.ttl"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BAD_IMPACT = {"serious", "critical"}

if not (CHROMIUM.exists() and AXE.exists()):
    if os.environ.get("CI"):
        raise RuntimeError("CI needs /usr/bin/chromium and axe-core: run `make install-dev`")
    pytest.skip(
        "Chromium or axe-core missing: `make install-dev` installs them", allow_module_level=True
    )

from playwright.sync_api import BrowserContext, Locator, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The CLI loads the SSBD examples and the BD5 record; `kg-service serve` serves them."""
    store = tmp_path_factory.mktemp("browser") / "store"
    cli = [sys.executable, "-m", "kg_service.cli"]
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    load = [*cli, "load", "--store", str(store), "--base-iri", f"{root}/"]
    subprocess.run([*load, str(EXAMPLE_SSBD), str(EXAMPLE_BD5)], check=True, timeout=120,
                   capture_output=True)  # fmt: skip
    process = subprocess.Popen(
        [*cli, "serve", "--store", str(store), "--port", str(port), "--base-iri", f"{root}/"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"{root}/health", process)
        yield root
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
            bypass_csp=True,  # only so the test can inject axe-core; pages load no inline script
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser: BrowserContext, server: str) -> Iterator[Page]:
    """A tab that records every request, so a test can prove no other host was asked."""
    tab = browser.new_page()
    hosts: list[str] = []
    tab.on("request", lambda request: hosts.append(request.url))
    yield tab
    foreign = [url for url in hosts if not url.startswith((server, "data:", "about:"))]
    tab.close()
    assert not foreign, f"the page asked other hosts: {foreign}"


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_accessible(page: Page, name: str) -> None:
    """axe-core on the current page: no serious or critical violations."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v.get("impact") in BAD_IMPACT]
    (ARTIFACTS / f"{name}.axe.json").write_text(json.dumps(result["violations"], indent=1))
    assert not bad, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def option_count(page: Page, label: str) -> int:
    """The count beside the facet option whose label ends with `label`."""
    option = page.locator("aside.facets a.option", has_text=re.compile(rf"{label}\s+\d+$"))
    assert option.first.is_visible(), label
    return int(option.first.locator(".count").inner_text())


def branch_summary(label: str, within: Locator) -> Locator:
    """The expand control of the tree node whose own option link mentions `label`."""
    return within.locator(
        f"xpath=.//li[contains(@class,'branch')][a[contains(., '{label}')]]/details/summary"
    ).first


def test_search_mammalia_finds_mouse_and_human(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    assert_accessible(page, "home")
    shot(page, "home")
    page.fill("#q", "Mammalia")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/browse\?organism=NCBITaxon%3A40674"))
    assert page.locator(".results-head .total").inner_text() == "61"
    assert option_count(page, "Mus musculus") == 46
    assert option_count(page, "Homo sapiens") == 12
    assert page.locator(".chip", has_text="Mammalia").is_visible()
    page.select_option("#size", "100")
    page.click(".sorter button")
    page.wait_for_url(re.compile(r"size=100"))
    organisms = page.locator("dd.organism").all_inner_texts()
    assert len(organisms) == 61
    assert organisms.count("Mus musculus") == 46 and organisms.count("Homo sapiens") == 12
    assert_accessible(page, "search-mammalia")
    shot(page, "search-mammalia")
    page.click(".chip a")  # remove the filter chip: back to every dataset
    page.wait_for_url(re.compile(r"/browse\?size=100$"))
    assert page.locator(".results-head .total").inner_text() == "67"


def test_facet_tree_expands_with_mouse_and_keyboard(page: Page, server: str) -> None:
    page.goto(f"{server}/browse")
    organism = page.locator('details.facet[data-facet="organism"]')
    inner = organism.locator("a.option", has_text="Deuterostomia")
    assert not inner.is_visible()
    branch_summary("Opisthokonta", organism).click()
    assert inner.is_visible()
    branch_summary("Deuterostomia", organism).focus()
    page.keyboard.press("Enter")  # keyboard users open a node the same way
    assert organism.locator("a.option", has_text="Euarchontoglires").is_visible()
    shot(page, "facet-tree-open")
    assert_accessible(page, "search")


def test_term_autocomplete_picks_a_filter(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    page.click("#q")
    page.keyboard.type("Homo sapi")
    option = page.locator("#q-suggestions li[role=option]", has_text="Homo sapiens").first
    option.wait_for()
    assert page.get_attribute("#q", "aria-expanded") == "true"
    shot(page, "autocomplete")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/browse\?organism=NCBITaxon%3A9606"))
    assert page.locator(".results-head .total").inner_text() == "12"


def test_bd5_dataset_page_shows_files_and_the_curve(page: Page, server: str) -> None:
    page.goto(f"{server}/datasets/bd5-081505-L1")
    plot = page.locator("figure.plot svg[role=img]").first
    assert plot.is_visible()
    points = plot.locator("polyline.series").get_attribute("points") or ""
    assert len(points.split()) == 195
    assert page.locator("table.files", has_text="081505_L1_bd5.h5").is_visible()
    assert page.locator("figcaption", has_text="358 divisions").is_visible()
    assert_accessible(page, "dataset-bd5")
    shot(page, "dataset-bd5")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "dataset-bd5-phone")


def test_search_page_fits_a_phone(page: Page, server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/browse?organism=NCBITaxon:10090")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".results-head .total").inner_text() == "46"
    shot(page, "search-phone")


@pytest.fixture
def plain_page(browser: BrowserContext, server: str) -> Iterator[Page]:
    """A tab with JavaScript off: every page must work as plain HTML."""
    context = browser.browser.new_context(java_script_enabled=False, bypass_csp=True)  # type: ignore[union-attr]
    tab = context.new_page()
    yield tab
    context.close()


def test_sparql_page_runs_an_example(plain_page: Page, page: Page, server: str) -> None:
    """Without JavaScript the page is the plain form: examples and results from the server."""
    plain_page.goto(f"{server}/query")
    plain_page.click("nav.examples a:text('datasets per organism')")
    plain_page.wait_for_url(re.compile(r"example=01-datasets-per-organism"))
    rows = plain_page.locator("table.results-table tbody tr")
    assert rows.count() == 6
    assert "NCBITaxon_10090" in rows.first.inner_text() and "46" in rows.first.inner_text()
    shot(plain_page, "query-example")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/bioimage-kg/vocab/Dataset> }"
    plain_page.fill("#query", count)
    plain_page.click("form.editor button[type=submit]")
    plain_page.wait_for_url(re.compile(r"query=SELECT"))
    assert plain_page.locator("table.results-table tbody td").inner_text() == "67"
    # axe-core needs JavaScript: the same plain pages, the editor's scripts held back
    page.route(re.compile(r".*/static/(vendor/.*|query\.js)$"), lambda route: route.abort())
    for name, url in (("query", "/query"), ("query-result", plain_page.url.replace(server, ""))):
        page.goto(f"{server}{url}")
        assert page.locator("form.editor textarea#query").is_visible()
        assert_accessible(page, name)


@pytest.fixture
def strict_page(browser: BrowserContext, server: str) -> Iterator[Page]:
    """A tab under the pages' real Content-Security-Policy (axe is injected by evaluation),
    recording other hosts asked and CSP complaints."""
    context = browser.browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[union-attr]
    tab = context.new_page()
    asked: list[str] = []
    complaints: list[str] = []
    tab.on("request", lambda request: asked.append(request.url))
    tab.on("console", lambda m: complaints.append(m.text) if "Security Policy" in m.text else None)
    yield tab
    foreign = [url for url in asked if not url.startswith((server, "data:", "about:", "blob:"))]
    context.close()
    assert not foreign, f"the page asked other hosts: {foreign}"
    assert not complaints, complaints


def accessible_under_csp(page: Page, name: str) -> None:
    # evaluated, not added as a <script> (which the CSP refuses); axe declares a global var
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;window.axe = axe;")
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v.get("impact") in BAD_IMPACT]
    (ARTIFACTS / f"{name}.axe.json").write_text(json.dumps(result["violations"], indent=1))
    assert not bad, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def editor_text(page: Page) -> str:
    return str(page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()"))


def test_sparql_editor_completes_runs_sorts_and_links(strict_page: Page, server: str) -> None:
    """YASGUI on /query: prefix completion, run, sort, follow an IRI, load an example."""
    page = strict_page
    page.goto(f"{server}/query")
    page.locator(".yasqe .CodeMirror").wait_for()
    accessible_under_csp(page, "query-editor")
    page.click(".yasqe .CodeMirror-code")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("PREFIX kg")
    hint = page.locator(
        ".CodeMirror-hints li", has_text="kg: <https://w3id.org/bioimage-kg/vocab/>"
    )
    hint.first.wait_for()
    page.keyboard.press("Enter")
    assert editor_text(page).startswith("PREFIX kg: <https://w3id.org/bioimage-kg/vocab/>")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type(
        "SELECT ?dataset ?title WHERE { ?dataset a kg:Dataset ; "
        "<http://purl.org/dc/terms/title> ?title } LIMIT 8"
    )
    page.keyboard.press("Control+Enter")
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for()
    assert rows.count() == 8
    assert "query=PREFIX" in page.url  # the page's URL now shares the query
    shot(page, "query-editor-result")
    page.locator(".yasr table.dataTable thead th", has_text="title").click()
    page.locator(".yasr thead th[aria-sort=ascending]", has_text="title").wait_for()
    titles = [rows.nth(i).locator("td").nth(2).inner_text() for i in range(8)]
    assert titles == sorted(titles, key=str.casefold) and len(set(titles)) > 1
    downloads = page.locator("form.editor a[data-format='text/csv']").get_attribute("href") or ""
    assert "LIMIT%208" in downloads
    accessible_under_csp(page, "query-editor-result")
    # YASR shortens long cells: a first click opens the cell, then its IRI is a live link
    rows.first.locator("td .expandable").first.click()
    link = rows.first.locator("a[href*='/datasets/']").first
    target = link.get_attribute("href") or ""
    assert target.startswith(f"{server}/datasets/")
    if link.get_attribute("target") == "_blank":
        with page.context.expect_page() as opened:
            link.click()
        landing = opened.value
        landing.wait_for_load_state()
        assert landing.url == target
        landing.close()
    else:
        link.click()
        page.wait_for_url(target)
        page.go_back()
        page.locator(".yasqe .CodeMirror").wait_for()
    page.click("nav.examples a:text('datasets per organism')")
    assert "COUNT(DISTINCT ?dataset)" in editor_text(page)
    page.wait_for_function(
        "document.querySelectorAll('.yasr table.dataTable tbody tr').length === 6"
    )
    assert "GROUP%20BY%20%3Forganism" in page.url  # the shareable URL follows the example
    shot(page, "query-editor-example")


@pytest.mark.parametrize("width", [1280, 800])
def test_deep_facet_tree_stays_beside_the_results(page: Page, server: str, width: int) -> None:
    """The organism tree under Mammalia, every node open: no label reaches the results."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}/browse?organism=NCBITaxon:40674")
    page.evaluate("document.querySelectorAll('aside.facets details').forEach(d => d.open = true)")
    panel = page.locator("aside.facets").bounding_box()
    results = page.locator("section.results").bounding_box()
    assert panel and results and panel["x"] + panel["width"] <= results["x"]
    boxes = page.evaluate(
        """[...document.querySelectorAll(
              'aside.facets details.facet[data-facet=organism] a.option')]
           .map(a => { const r = a.getBoundingClientRect();
                       return [a.innerText, r.left, r.right, r.top, r.bottom]; })"""
    )
    assert len(boxes) > 10
    depth = page.evaluate(
        "Math.max(...[...document.querySelectorAll('aside.facets ul.tree')].map(u => "
        "{ let d = 0; for (let e = u; e; e = e.parentElement.closest('ul.tree')) d++; return d; }))"
    )
    assert depth >= 6  # a deep tree indeed
    overlapping = [b for b in boxes if b[2] > results["x"] or b[2] > panel["x"] + panel["width"]]
    assert overlapping == []
    shot(page, f"facet-tree-deep-{width}")
    assert page.locator("dd", has_text=re.compile(r"^0$")).count() == 0  # no "Files 0"


def test_validate_page_locates_findings(page: Page, server: str, tmp_path: Path) -> None:
    row = (GOOD_ROW[0], "Movie", *GOOD_ROW[2:])  # not a kind the template allows
    broken = make_template(tmp_path, {"E-mail": "ann at example"}, [row])
    page.goto(f"{server}/validate")
    assert_accessible(page, "validate")
    page.set_input_files("input[type=file]", str(broken))
    page.select_option("select[name=tier]", "repository")
    page.click("button[type=submit]")
    page.wait_for_selector("table.findings tbody tr")
    assert "refused" in page.locator("#verdict").inner_text()
    kind = page.locator("table.findings tr", has_text="Kind is not one of")
    assert kind.locator("td").nth(1).inner_text() == "dataset: row 2, column B, field Kind"
    assert "Image data" in kind.locator("td").nth(4).inner_text()  # the fix names the choices
    assert page.locator("h3.where-file").first.inner_text() == broken.name
    shot(page, "validate-report")
    assert_accessible(page, "validate-report")
    assert requests.get(f"{server}/health", timeout=5).status_code == 200
