"""RDF in the service's own vocabulary is read back, rebased and validated like any input."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg_service.findings import Severity
from kg_service.ingest import read_path
from kg_service.pipeline import prepare
from tests.conftest import BASE, EXAMPLE_SSBD

OTHER = "http://other-instance.test/"


def exported_project(tmp_path: Path, key: str, fmt: str = "turtle", suffix: str = ".ttl") -> Path:
    """A project graph as another instance (another base IRI) would export it."""
    source = prepare([EXAMPLE_SSBD], OTHER)
    project = next(p for p in source.projects if p.project_id == f"projects/{key}")
    path = tmp_path / f"{key}{suffix}"
    path.write_text(project.graph.serialize(format=fmt), encoding="utf-8")
    return path


def canonical(graph: Graph) -> Graph:
    return Graph().parse(data=graph.serialize(format="turtle"), format="turtle")


def test_exported_project_round_trips_onto_our_base(tmp_path: Path) -> None:
    path = exported_project(tmp_path, "ssbd-2")
    report = prepare([path], BASE)
    assert report.ok, [str(f) for f in report.findings]
    [project] = report.projects
    assert project.project_id == "projects/ssbd-2"
    assert project.graph_iri == BASE + "graph/ssbd-2"
    expected = next(
        p for p in prepare([EXAMPLE_SSBD], BASE).projects if p.project_id == "projects/ssbd-2"
    )
    # compare after one Turtle round trip each: Turtle writes xsd:decimal 40 as 40.0
    assert isomorphic(canonical(project.graph), canonical(expected.graph))


def test_json_ld_input_works_too(tmp_path: Path) -> None:
    path = exported_project(tmp_path, "ssbd-98", fmt="json-ld", suffix=".jsonld")
    report = prepare([path], BASE)
    assert report.ok and len(report.projects) == 1
    assert (URIRef(BASE + "projects/ssbd-98"), None, None) in report.projects[0].graph


def test_broken_model_rdf_is_refused_with_the_record_named(tmp_path: Path) -> None:
    path = exported_project(tmp_path, "ssbd-2")
    graph = Graph().parse(path)
    title = URIRef("http://purl.org/dc/terms/title")
    graph.remove((URIRef(OTHER + "projects/ssbd-2"), title, None))
    stray = URIRef("http://elsewhere.test/thing")
    graph.add((stray, title, Literal("not part of any project")))
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    report = prepare([path], BASE)
    assert not report.ok
    missing = [f for f in report.findings if f.severity is Severity.VIOLATION]
    assert any(
        f.location.record == "projects/ssbd-2" and f.location.field == "title" for f in missing
    )
    unclaimed = [f for f in report.findings if "belong to no kg:Project" in f.message]
    assert [f.location.record for f in unclaimed] == [str(stray)]


def test_ssbd_rdf_still_goes_to_the_ssbd_reader() -> None:
    result = read_path(EXAMPLE_SSBD)
    assert len(result.projects) == 7 and result.graphs == []


def test_rdf_without_projects_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "empty.ttl"
    path.write_text("<http://a.test/x> <http://a.test/p> 1 .", encoding="utf-8")
    result = read_path(path)
    assert result.findings[0].severity is Severity.VIOLATION
    assert "nothing to load" in result.findings[0].message


def test_remote_json_ld_contexts_are_never_fetched(tmp_path: Path) -> None:
    import http.server
    import threading

    requests_seen: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests_seen.append(self.path)
            self.send_response(200)
            self.send_header("content-type", "application/ld+json")
            self.end_headers()
            self.wfile.write(b'{"@context": {"@vocab": "https://w3id.org/bioimage-kg/vocab/"}}')

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        path = tmp_path / "remote.jsonld"
        document = {
            "@context": f"http://127.0.0.1:{port}/context.jsonld",
            "@id": "http://x.test/projects/a",
            "@type": "Project",
            "title": "x",
        }
        path.write_text(json.dumps(document), encoding="utf-8")
        result = read_path(path)
    finally:
        server.shutdown()
    assert requests_seen == []
    assert result.graphs == [] and result.projects == []
    assert result.findings[0].severity is Severity.VIOLATION
    assert "remote contexts" in result.findings[0].message
