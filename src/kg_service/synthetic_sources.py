"""Realistic *source files* for N datasets: SSBD ontology instance Turtle, one file per project.

Why not only N-Quads (synthetic.py): an ingest benchmark must pay for what a real archive load
pays for, reading and mapping the submitters' format, so this generator writes the format SSBD
publishes. Every project is a copy of one of the real SSBD projects shipped in
examples/ssbd/SSBD_all_instances.ttl (its persons, publications, and datasets with their
biosample, imaging method, instrument, dimension and OME-Zarr individuals), with every
individual renamed, the project number and folder names made unique, titles varied and the
organism drawn from a skewed pool of real taxa. A seeded fraction of projects carries one
defect that the reader or the shapes refuse, so the loader's refusal path is exercised too.
Files are spread over sub-folders (a recursive load), and one seed always gives the same bytes.
"""

from __future__ import annotations

import gzip
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg_service.paths import knowledge_dir

SSBD = "http://ssbd.riken.jp/ontology/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TEMPLATE = "SSBD_all_instances.ttl"
OBO = "http://purl.obolibrary.org/obo/"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
_TAXA = {  # organism (NCBITaxon number) with its weight: a few model organisms dominate
    "10090": 40,
    "9606": 25,
    "7955": 8,
    "6239": 6,
    "7227": 6,
    "4932": 4,
    "3702": 3,
    "10116": 3,
    "8355": 2,
    "9615": 1,
}
_WORDS = ("live", "fixed", "time-lapse", "3D", "mutant", "wild-type", "knockdown", "embryo")
FILES_PER_FOLDER = 1000
# what a defective project gets: a value the reader refuses (an organism that is no taxon)
DEFECT = "not a taxon"

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Node = dict[str, list[Term]]


@dataclass(frozen=True)
class Template:
    """One real SSBD project: its own individuals and, per dataset, the dataset's individuals."""

    project: str
    shared: tuple[str, ...]  # project, persons, publications
    datasets: tuple[tuple[str, ...], ...]  # per dataset: the dataset and what it links to


@cache
def _source() -> dict[str, Node]:
    # the package's knowledge folder links to the repository, whose examples/ holds the file
    path = knowledge_dir("ontology").resolve().parent / "examples" / "ssbd" / TEMPLATE
    nodes: dict[str, Node] = defaultdict(lambda: defaultdict(list))
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if isinstance(triple.subject, ox.NamedNode) and triple.subject.value.startswith(SSBD):
            nodes[triple.subject.value][triple.predicate.value].append(triple.object)
    return nodes


def _closure(nodes: dict[str, Node], start: str, stop: set[str]) -> tuple[str, ...]:
    """`start` and every SSBD individual reachable from it, not crossing `stop`."""
    seen, stack = [start], [start]
    while stack:
        for predicate, objects in nodes[stack.pop()].items():
            for obj in objects if predicate != RDF_TYPE else ():
                value = obj.value
                linked = isinstance(obj, ox.NamedNode) and value in nodes
                if linked and value not in stop and value not in seen:
                    seen.append(value)
                    stack.append(value)
    return tuple(seen)


@cache
def templates() -> tuple[Template, ...]:
    """The real projects with at least one dataset, in a fixed order."""
    nodes = _source()
    projects = sorted(
        iri
        for iri, node in nodes.items()
        if ox.NamedNode(SSBD + "SSBD_Project") in node.get(RDF_TYPE, [])
    )
    out = []
    for project in projects:
        datasets = sorted(o.value for o in nodes[project].get(SSBD + "has_dataset_output", []))
        if not datasets:
            continue
        stop = set(projects) | set(datasets)
        shared = _closure(nodes, project, stop)
        per_dataset = tuple(_closure(nodes, d, set(shared) | stop - {d}) for d in datasets)
        out.append(Template(project, shared, per_dataset))
    return tuple(out)


def _text(value: str) -> ox.Literal:
    return ox.Literal(value)


class _Writer:
    """Copies template individuals under new names into one project's triples."""

    def __init__(self, number: int, rng: random.Random) -> None:
        self.number = number
        self.rng = rng
        self.triples: list[ox.Triple] = []

    def copy(self, iris: tuple[str, ...], suffix: str, edit: Callable[[str, Term], Term]) -> None:
        renamed = {iri: ox.NamedNode(f"{iri}-s{self.number}{suffix}") for iri in iris}
        for iri in iris:
            subject = renamed[iri]
            for predicate, objects in _source()[iri].items():
                p = ox.NamedNode(predicate)
                for obj in objects:
                    value: Term = obj
                    if isinstance(obj, ox.NamedNode) and obj.value in renamed:
                        value = renamed[obj.value]
                    self.triples.append(ox.Triple(subject, p, edit(predicate, value)))

    def link(self, project: str, dataset: str, suffix: str) -> None:
        self.triples.append(
            ox.Triple(
                ox.NamedNode(f"{project}-s{self.number}"),
                ox.NamedNode(SSBD + "has_dataset_output"),
                ox.NamedNode(f"{dataset}-s{self.number}{suffix}"),
            )
        )


def project_triples(
    number: int, datasets: int, rng: random.Random, defect: bool, curated: bool = False
) -> list[ox.Triple]:
    """One synthetic project of `datasets` datasets, copied from a real one (`curated`: as
    it would enter the database tier, see `_curated` and `_curate_dataset`)."""
    template = templates()[number % len(templates())]
    writer = _Writer(number, rng)
    word = rng.choice(_WORDS)

    def edit_project(predicate: str, value: Term) -> Term:
        if predicate == SSBD + "has_project_name":
            return _text(f"{100_000 + number}-Synthetic-{value.value.split('-', 1)[-1]}")
        if predicate == SSBD + "has_dataset_output":
            return ox.Literal("")  # replaced by the links below
        if predicate == SSBD + "has_dataset_title" and isinstance(value, ox.Literal):
            return _text(f"{value.value} ({word}, copy {number})")
        return value

    writer.copy(template.shared, "", edit_project)
    writer.triples = [t for t in writer.triples if t.object != ox.Literal("")]
    organisms = list(_TAXA)
    weights = list(_TAXA.values())
    broken = rng.randrange(datasets) if defect else -1
    for k in range(datasets):
        source = template.datasets[k % len(template.datasets)]
        organism = rng.choices(organisms, weights)[0]
        suffix = f"d{k}"

        def edit_dataset(predicate: str, value: Term, k: int = k, organism: str = organism) -> Term:
            if predicate == SSBD + "has_folder_name":
                return _text(f"{value.value}_{k}")
            if predicate == SSBD + "is_about_organism":
                return _text(DEFECT) if k == broken else ox.NamedNode(f"{OBO}NCBITaxon_{organism}")
            return _curate_dataset(predicate, value) if curated else value

        writer.copy(source, suffix, edit_dataset)
        writer.triples = [t for t in writer.triples if t.object != _DROPPED]
        writer.link(template.project, source[0], suffix)
    if curated:
        writer.triples += _curated(writer.triples, number)
    return writer.triples


_DROPPED = ox.Literal("\x00dropped")  # a value `_curate_dataset` removes
_OME_ZARR_LINKS = {SSBD + "has_ome_zarr_information", OBO + "RO_0002180"}


@cache
def _molecular_functions() -> frozenset[str]:
    """IRIs of the GO terms in the molecular-function namespace (shipped GO term file)."""
    path = knowledge_dir("ontology") / "terms" / "go.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = (json.loads(line) for line in handle)
        return frozenset(
            OBO + str(r["id"]).replace(":", "_")
            for r in records
            if r.get("ns") == "molecular_function"
        )


def _curate_dataset(predicate: str, value: Term) -> Term:
    """A dataset's value as a database-tier curator leaves it: a GO term that is no molecular
    function leaves the molecular-function field, and the OME-Zarr link goes (the tier needs
    a size and a checksum per file, which a Zarr folder has not and SSBD's format cannot say).
    """
    if predicate in _OME_ZARR_LINKS:
        return _DROPPED
    if predicate == SSBD + "is_about_GO_mf" and value.value not in _molecular_functions():
        return _DROPPED
    return value


def _curated(triples: list[ox.Triple], number: int) -> list[ox.Triple]:
    """What SSBD's curators add before a project enters the database tier, where the real
    templates lack it: a release date on the project, a file format on each dataset and an
    e-mail for each person.

    (No value is drawn from the random source, so the rest of a seed's bytes stay the same.)
    """
    typed: dict[str, set[ox.NamedNode]] = defaultdict(set)
    said: dict[ox.NamedNode, set[str]] = defaultdict(set)
    for triple in triples:
        subject, kind = triple.subject, triple.object
        if not isinstance(subject, ox.NamedNode):
            continue
        said[subject].add(triple.predicate.value)
        if triple.predicate.value == RDF_TYPE and isinstance(kind, ox.NamedNode):
            typed[kind.value].add(subject)
    added: list[ox.Triple] = []
    for project in typed[SSBD + "SSBD_Project"]:
        if not said[project] & {SSBD + "has_release_date", SSBD + "has_open_date"}:
            date = f"{2015 + number % 10}-{1 + number % 12:02d}-{1 + number % 28:02d}"
            release = ox.Literal(date, datatype=ox.NamedNode(XSD_DATE))
            added.append(ox.Triple(project, ox.NamedNode(SSBD + "has_release_date"), release))
    for dataset in typed[SSBD + "SSBD_dataset"]:
        if SSBD + "has_file_format" not in said[dataset]:
            added.append(ox.Triple(dataset, ox.NamedNode(SSBD + "has_file_format"), _text("TIFF")))
    for k, person in enumerate(sorted(typed[SSBD + "SSBD_person"], key=str)):
        if SSBD + "has_email" not in said[person]:
            mail = ox.Literal(f"contact{k}.project{number}@example.org")
            added.append(ox.Triple(person, ox.NamedNode(SSBD + "has_email"), mail))
    return added


def write_source_files(
    folder: Path,
    n_datasets: int,
    seed: int = 0,
    datasets_per_project: int = 10,
    defect_rate: float = 0.01,
    progress: Callable[[int], None] | None = None,
    curated: bool = False,
) -> Iterator[Path]:
    """Write SSBD instance Turtle files holding `n_datasets` datasets; yields each path.
    `curated`: each project as it would enter the database tier (see `project_triples`).

    >>> import tempfile
    >>> paths = list(write_source_files(Path(tempfile.mkdtemp()), 25, datasets_per_project=10))
    >>> [p.name for p in paths]
    ['ssbd-syn-000000.ttl', 'ssbd-syn-000001.ttl', 'ssbd-syn-000002.ttl']
    """
    rng = random.Random(seed)
    done, number = 0, 0
    while done < n_datasets:
        size = min(datasets_per_project, n_datasets - done)
        defect = rng.random() < defect_rate
        triples = project_triples(number, size, rng, defect, curated)
        path = folder / f"{number // FILES_PER_FOLDER:04d}" / f"ssbd-syn-{number:06d}.ttl"
        path.parent.mkdir(parents=True, exist_ok=True)
        ox.serialize(
            triples,
            output=str(path),
            format=ox.RdfFormat.TURTLE,
            prefixes={"ssbd": SSBD, "owl": "http://www.w3.org/2002/07/owl#"},
        )
        done += size
        number += 1
        if progress is not None:
            progress(done)
        yield path
