"""HTML pages in-process: home, search (/browse), SPARQL page (/query), BD5 plots."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.ingest.bd5 import objects_per_time_point, read_bd5
from kg_service.pipeline import submit
from kg_service.store import OxigraphStore
from kg_service.web.plots import line_chart, nice_ticks
from kg_service.web.search_view import PageState, facet_nodes, page_numbers, read_state
from tests.conftest import BASE, EXAMPLE_SSBD, REPO
from tests.test_ingest_peers import _screen

EXAMPLE_BD5 = REPO / "examples" / "bd5" / "081505_L1_bd5.ttl"
BD5_FILE = REPO / "tests" / "data" / "bd5" / "081505_L1_bd5.h5"
KG = Namespace("https://w3id.org/bioimage-kg/vocab/")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("pages")
    store = OxigraphStore(folder / "store")
    report = submit([EXAMPLE_SSBD, EXAMPLE_BD5], store, BASE)
    assert report.stored, [str(f) for f in report.findings]
    settings = Settings(store_path=folder / "store", base_iri=BASE)
    with TestClient(create_app(settings, store)) as test_client:
        test_client.app.state.sparql.publish()  # type: ignore[attr-defined]
        yield test_client
    store.close()


def count_of(html: str, label: str) -> int:
    """The count shown next to a facet option whose label ends with `label`."""
    found = re.search(
        rf'<span class="label">[^<]*{re.escape(label)}</span> <span class="count">(\d+)</span>',
        html,
    )
    assert found, label
    return int(found.group(1))


# --- search page ---------------------------------------------------------------------------


def test_a_term_name_becomes_a_term_filter(client: TestClient) -> None:
    response = client.get("/browse", params={"q": "Mammalia"}, follow_redirects=False)
    assert response.status_code == 303
    target = urlsplit(response.headers["location"])
    assert target.path == "/browse"
    assert parse_qsl(target.query) == [("organism", "NCBITaxon:40674"), ("from", "Mammalia")]


def test_mammalia_shows_mouse_and_human_with_counts(client: TestClient) -> None:
    html = client.get("/browse", params={"q": "Mammalia", "size": 100}).text
    assert '<span class="total">61</span>' in html  # 46 mouse + 12 human + 2 dog + 1 marmoset
    assert count_of(html, "Mus musculus") == 46
    assert count_of(html, "Homo sapiens") == 12
    organisms = re.findall(r'<dd class="organism">([^<]*)</dd>', html)
    assert len(organisms) == 61
    assert organisms.count("Mus musculus") == 46 and organisms.count("Homo sapiens") == 12
    assert "Caenorhabditis elegans" not in organisms
    assert 'aria-label="Remove filter Organism: Mammalia"' in html


def test_words_stay_words_when_asked(client: TestClient) -> None:
    response = client.get("/browse", params={"q": "Mammalia", "words": "1"}, follow_redirects=False)
    assert response.status_code == 200  # no redirect to the taxon's filter
    assert "Remove filter Organism" not in response.text
    # the word still finds mammals, through the names of their ancestors (issue 14)
    assert "No datasets match" not in response.text


def test_paging_keeps_the_state_in_links(client: TestClient) -> None:
    html = client.get("/browse", params={"organism": "NCBITaxon:10090", "page": 2}).text
    assert "21–40 of" in html
    previous = re.search(r'href="([^"]*)" rel="prev"', html)
    following = re.search(r'href="([^"]*)" rel="next"', html)
    assert previous and previous.group(1) == "/browse?organism=NCBITaxon%3A10090"
    assert following and following.group(1) == "/browse?organism=NCBITaxon%3A10090&amp;page=3"
    beyond = client.get("/browse?organism=NCBITaxon:10090&page=9", follow_redirects=False)
    assert beyond.status_code == 303 and beyond.headers["location"].endswith("page=3")


def test_selected_node_links_remove_it(client: TestClient) -> None:
    html = client.get("/browse", params={"organism": "NCBITaxon:10090"}).text
    selected = re.search(r'<a class="option on" href="([^"]*)"[^>]*><span class="label">', html)
    assert selected and selected.group(1) == "/browse"
    assert '<span class="total">46</span>' in html


def test_unknown_filter_value_is_a_400_page(client: TestClient) -> None:
    response = client.get("/browse", params={"organism": "NCBITaxon:999999999"})
    assert response.status_code == 400
    assert 'role="alert"' in response.text and "NCBITaxon:999999999" in response.text


def test_state_round_trip_and_toggle() -> None:
    state = read_state([("q", " worm "), ("organism", "NCBITaxon:6239"), ("size", "50"),
                        ("page", "x"), ("sort", "nonsense"), ("colour", "blue")])  # fmt: skip
    assert (state.q, state.size, state.page, state.sort) == ("worm", 50, 1, "relevance")
    assert state.params() == [("q", "worm"), ("organism", "NCBITaxon:6239"), ("size", "50")]
    assert state.toggle("/b", "organism", "NCBITaxon:6239") == "/b?q=worm&size=50"
    assert state.toggle("/b", "kind", "x").endswith("&kind=x")
    assert page_numbers(1, 1) == [1]


def test_unbranched_chains_fold_but_keep_selected_terms_visible() -> None:
    def node(term: str, count: int, *children: dict[str, object]) -> dict[str, object]:
        return {"term": term, "label": term, "count": count, "children": list(children)}

    tree = [node("root", 5, node("a", 5, node("b", 5, node("c", 3), node("d", 2))))]
    [folded] = facet_nodes(tree, PageState(), "organism", "/b")
    assert folded.label == "root … b" and [c.label for c in folded.children] == ["c", "d"]
    chosen = PageState(filters=[("organism", "a")])
    [top] = facet_nodes(tree, chosen, "organism", "/b", open_depth=0)
    assert top.label == "root" and top.open
    [chosen_node] = top.children
    assert chosen_node.label == "a" and chosen_node.selected
    assert [c.label for c in chosen_node.children] == ["b"]


def test_image_facets_show_images_beside_datasets(tmp_path: Path) -> None:
    """Gene, phenotype and cell options of an IDR screen say how many images they hold (in
    words for screen readers); facets of whole datasets, such as the licence, do not."""
    study, annotation = _screen(tmp_path / "screen")
    store = OxigraphStore(tmp_path / "store")
    try:
        assert submit([study, annotation], store, BASE).stored
        settings = Settings(store_path=tmp_path / "store", base_iri=BASE)
        with TestClient(create_app(settings, store)) as test_client:
            html = test_client.get("/browse").text
        shown = re.findall(
            r'<span class="label">([^<]*)</span> <span class="count">(\d+)</span>'
            r'(?:<span class="sr"> datasets,</span> <span class="images">· ([\d,]+)'
            r'<span aria-hidden="true"> img</span><span class="sr"> images</span></span>)?',
            html,
        )
        images = {label: (int(n), int(i.replace(",", "")) if i else None) for label, n, i in shown}
        genes = "http://identifiers.org/ensembl/"
        assert images[f"{genes}ENSG00000075239"] == (1, 2)
        assert images[f"{genes}ENSG00000130402"] == (1, 1)
        assert images["s1"] == (1, 2) and images["s3"] == (1, 1)  # siRNA
        assert images["cellular phenotype … protein localized in mitochondrion phenotype"] == (1, 2)
        licence = "Creative Commons Attribution 4.0 International"
        assert images[licence] == (1, None)  # a licence covers datasets, not images
    finally:
        store.close()


# --- home page -----------------------------------------------------------------------------


def test_home_has_search_counts_and_recent_projects(client: TestClient) -> None:
    html = client.get("/").text
    assert '<input id="q" name="q" type="search"' in html and 'data-terms="' in html
    assert 'data-facet="organism"' in html and 'data-facet="imaging_method"' in html
    assert count_of(html, "Deuterostomia … Boreoeutheria") == 61  # Mammalia folded inside
    assert count_of(html, "Glires … Mus musculus") == 46
    assert count_of(html, "quantitative data") == 1
    recent = re.findall(r'<li><a href="([^"]+)">[^<]*</a> <span class="muted">([^<]*)', html)
    assert len(recent) == 8
    dates = [d.split(" · ")[0] for _, d in recent if d[:1].isdigit()]
    assert dates == sorted(dates, reverse=True)


# --- SPARQL page ---------------------------------------------------------------------------


def test_example_query_runs_in_one_click(client: TestClient) -> None:
    html = client.get("/query", params={"example": "01-datasets-per-organism"}).text
    assert '<span class="rows">6</span> rows' in html
    assert "http://purl.obolibrary.org/obo/NCBITaxon_10090</a></td><td>46</td>" in html
    assert "01-datasets-per-organism" in html


def test_query_errors_are_shown_not_raised(client: TestClient) -> None:
    response = client.get("/query", params={"query": "SELECT WHERE {"})
    assert response.status_code == 400 and "invalid SPARQL query" in response.text


def test_federated_examples_load_without_running(client: TestClient) -> None:
    html = client.get("/query", params={"example": "16-wikidata-taxon-names"}).text
    assert "Not run" in html and "wikidata" in html.lower()


def test_ask_and_construct_answers(client: TestClient) -> None:
    ask = client.get("/query", params={"query": "ASK { ?s ?p ?o }"}).text
    assert "Answer: yes" in ask
    graph = client.get(
        "/query",
        params={"query": "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 2"},
    ).text
    assert '<pre class="turtle">' in graph


# --- BD5 dataset page and its example record -----------------------------------------------


def test_bd5_example_matches_the_file() -> None:
    graph = Graph().parse(EXAMPLE_BD5, format="turtle")
    node = next(graph.subjects(KG.objectsPerTimePoint, None))
    stored = json.loads(str(graph.value(node, KG.objectsPerTimePoint)))
    assert stored == [n for _, n in objects_per_time_point(BD5_FILE)]
    summary = read_bd5(BD5_FILE).summary
    assert summary is not None
    assert int(graph.value(node, KG.objectCount)) == summary.object_count == sum(stored)
    assert int(graph.value(node, KG.trackCount)) == summary.track_link_count
    assert int(graph.value(node, KG.divisionCount)) == summary.division_count
    assert len(stored) == summary.time_points == 195


def test_bd5_dataset_page_draws_the_curve(client: TestClient) -> None:
    html = client.get("/datasets/bd5-081505-L1").text
    curve = re.search(r'<polyline class="series"[^>]*points="([^"]+)"', html)
    assert curve and len(curve.group(1).split()) == 195
    assert '<title id="curve-1-t">' in html or '<title id="curve-0-t">' in html
    assert "from 5 at time point 0 to 362 at 194" in html
    assert html.count('<rect class="bar"') == 3 and "358 divisions" in html
    assert "081505_L1_bd5.h5</a>" in html


def test_pages_without_analysed_data_have_no_plot(client: TestClient) -> None:
    html = client.get("/datasets/ssbd-141-Fig1a_FIB-SEM_somatosensory").text
    assert "<svg" not in html


# --- plots ---------------------------------------------------------------------------------


def test_chart_text_is_escaped_and_empty_series_draw_nothing() -> None:
    svg = line_chart([1, 3, 2], title="<b>x</b>", x_label="t", y_label="n & m")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "n &amp; m" in svg
    assert line_chart([], title="t", x_label="x", y_label="y") == ""
    assert nice_ticks(7) == [0.0, 2.0, 4.0, 6.0, 8.0]


def test_page_script_is_served_and_small(client: TestClient) -> None:
    response = client.get("/static/kg.js")
    assert response.headers["content-type"].startswith("text/javascript")
    assert "fetch(" in response.text and "http" not in response.text.replace("https://", "")
    assert len(response.content) < 10_000


def test_pages_reference_no_other_host(client: TestClient) -> None:
    for path in ("/", "/browse?q=mitochondria", "/query", "/datasets/bd5-081505-L1"):
        html = client.get(path).text
        for tag in re.findall(r"<(?:script|link|img|iframe)[^>]*>", html):
            assert not re.search(r'(?:src|href)="https?://(?!kg\.test/)', tag), (path, tag)
