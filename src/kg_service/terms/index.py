"""The ontology term index: labels, synonyms, branches, obsolescence and hierarchy, in memory.

Why in memory: search expansion ("Mammalia" -> every mammal) and free-text resolution
("worm" -> NCBITaxon:6239) run on every request; set lookups over precomputed parent maps
cost microseconds, where SPARQL property paths cost milliseconds. The data comes from the
shipped files in ontology/terms/ (built by `terms.build`), so the service works offline.
"""

from __future__ import annotations

import csv
import difflib
import gc
import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg_service.paths import knowledge_dir

OBO_BASE = "http://purl.obolibrary.org/obo/"
MESH_BASE = "http://id.nlm.nih.gov/mesh/"
ONTOLOGIES = ("ncbitaxon", "go", "fbbi", "mesh", "ro", "licenses", "cmpo")
CMPO_BASE = "http://www.ebi.ac.uk/cmpo/"
_CURIE = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9]*)[:_](?P<local>[A-Za-z0-9.\-]+)$")
_PREFIX_CASE = {
    "go": "GO",
    "ncbitaxon": "NCBITaxon",
    "fbbi": "FBbi",
    "mesh": "MESH",
    "ro": "RO",
    "bfo": "BFO",
    "spdx": "SPDX",
    "cmpo": "CMPO",
}
_PREFIX_ONTOLOGY = {
    "GO": "go",
    "NCBITaxon": "ncbitaxon",
    "FBbi": "fbbi",
    "MESH": "mesh",
    "RO": "ro",
    "BFO": "ro",
    "SPDX": "licenses",
    "CMPO": "cmpo",
}


def terms_dir() -> Path:
    return knowledge_dir("ontology") / "terms"


@dataclass
class Term:
    """One ontology term as the service sees it."""

    curie: str
    iri: str
    label: str
    ontology: str
    synonyms: list[str] = field(default_factory=list)
    namespace: str = ""
    parents: list[str] = field(default_factory=list)  # is_a, IRIs
    part_of: list[str] = field(default_factory=list)  # IRIs
    obsolete: bool = False
    replaced_by: str | None = None  # IRI

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.curie,
            "iri": self.iri,
            "label": self.label,
            "ontology": self.ontology,
            "namespace": self.namespace,
            "synonyms": self.synonyms,
            "obsolete": self.obsolete,
            "replaced_by": self.replaced_by,
        }


def _curie_to_iri(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    if prefix == "MESH":
        return MESH_BASE + local
    if prefix == "CMPO":  # CMPO releases use the EBI namespace, not OBO PURLs
        return f"{CMPO_BASE}CMPO_{local}"
    return f"{OBO_BASE}{prefix}_{local}"


def read_records(path: Path) -> Iterator[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _norm(text: str) -> str:
    """Lower case, single spaces, no punctuation: the key for label and synonym lookup."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@dataclass
class Match:
    """A ranked answer of `TermIndex.search`."""

    term: Term
    score: float
    matched: str


class TermIndex:
    """All shipped terms by IRI, with label/synonym lookup and closure helpers.

    >>> index = TermIndex.load(["fbbi"])
    >>> index.resolve("confocal")
    'http://purl.obolibrary.org/obo/FBbi_00000251'
    """

    def __init__(self, terms: Iterable[Term], aliases: dict[str, str] | None = None) -> None:
        self.terms: dict[str, Term] = {}
        self.by_curie: dict[str, str] = {}
        self.children: dict[str, list[str]] = {}
        self.part_children: dict[str, list[str]] = {}
        self._exact: dict[str, list[str]] = {}
        self._synonym: dict[str, list[str]] = {}
        self.ancestor_cache: dict[str, frozenset[str]] = {}
        for term in terms:
            self._add(term)
        self.aliases: dict[str, list[str]] = {}
        for alias, curie in (aliases or {}).items():
            iri = self.by_curie.get(curie)
            if iri:
                self._exact.setdefault(_norm(alias), []).insert(0, iri)
                self.aliases.setdefault(iri, []).append(alias)

    def _add(self, term: Term) -> None:
        self.terms[term.iri] = term
        self.by_curie[term.curie] = term.iri
        self._exact.setdefault(_norm(term.label), []).append(term.iri)
        for synonym in term.synonyms:
            self._synonym.setdefault(_norm(synonym), []).append(term.iri)
        for parent in term.parents:
            self.children.setdefault(parent, []).append(term.iri)
        for whole in term.part_of:
            self.part_children.setdefault(whole, []).append(term.iri)

    @classmethod
    def load(cls, ontologies: Iterable[str] = ONTOLOGIES, folder: Path | None = None) -> TermIndex:
        """Read the shipped term files (about 1.5 s for all of them, most of it GO)."""
        folder = folder or terms_dir()
        terms: list[Term] = []
        for name in ontologies:
            path = folder / f"{name}.jsonl.gz"
            terms.extend(_term(record, name) for record in read_records(path))
        return cls(terms, read_aliases(folder / "aliases.tsv"))

    # --- identifiers -----------------------------------------------------------------------

    def to_iri(self, value: str) -> str | None:
        """IRI of a known term given as an IRI or a CURIE variant (GO:0000278, go_0000278)."""
        value = value.strip()
        if value in self.terms:
            return value
        if value.startswith("https://purl.obolibrary.org/"):
            value = "http://" + value[len("https://") :]
            return value if value in self.terms else None
        match = _CURIE.match(value)
        if not match:
            return None
        prefix = _PREFIX_CASE.get(match["prefix"].lower(), match["prefix"])
        return self.by_curie.get(f"{prefix}:{match['local']}")

    def curie(self, iri: str) -> str:
        term = self.terms.get(iri)
        return term.curie if term else iri

    def label(self, iri: str) -> str:
        term = self.terms.get(iri)
        return term.label if term else iri

    # --- text ------------------------------------------------------------------------------

    def resolve(self, text: str, ontology: str | None = None) -> str | None:
        """One IRI for an id, CURIE, label, synonym or alias; None when nothing fits exactly."""
        iri = self.to_iri(text)
        if iri:
            return iri
        key = _norm(text)
        for table in (self._exact, self._synonym):
            candidates = [i for i in table.get(key, []) if self._in(i, ontology)]
            live = [i for i in candidates if not self.terms[i].obsolete]
            if live or candidates:
                return (live or candidates)[0]
        prefix = [m.term.iri for m in self.search(text, ontology, limit=1) if m.score >= 0.8]
        return prefix[0] if prefix else None

    def exact(self, text: str, ontology: str | None = None) -> str | None:
        """The one live term whose label or synonym is exactly `text`, else None.

        Unlike `resolve` there is no fuzzy fallback: readers use this to turn a submitter's
        free text into a term only when that is not a guess (one exact, unambiguous match).
        """
        key = _norm(text)
        for table in (self._exact, self._synonym):
            live = {i for i in table.get(key, []) if self._in(i, ontology)}
            live = {i for i in live if not self.terms[i].obsolete}
            if len(live) == 1:
                return live.pop()
            if live:
                return None  # ambiguous: let the submitter say which
        return None

    def exact_matches(self, text: str) -> list[str]:
        """Every term whose label, everyday name or synonym is exactly `text`: labels and
        curated names first, then synonyms, live terms before obsolete ones (a dict lookup,
        unlike the autocomplete scan of `search`)."""
        key = _norm(text)
        found: list[str] = []
        for table in (self._exact, self._synonym):
            hits = [i for i in table.get(key, []) if i not in found]
            found += sorted(hits, key=lambda i: self.terms[i].obsolete)
        return found

    def _in(self, iri: str, ontology: str | None) -> bool:
        return ontology is None or self.terms[iri].ontology == ontology

    def search(self, text: str, ontology: str | None = None, limit: int = 10) -> list[Match]:
        """Autocomplete: exact label > exact synonym > label prefix > word prefix, live first."""
        key = _norm(text)
        if not key:
            return []
        iri = self.to_iri(text)
        scored: dict[str, Match] = {}
        if iri and self._in(iri, ontology):
            scored[iri] = Match(self.terms[iri], 1.0, self.terms[iri].curie)
        for table, score in ((self._exact, 0.95), (self._synonym, 0.9)):
            for hit in table.get(key, []):
                if self._in(hit, ontology):
                    self._keep(scored, hit, score, key)
        for table, score in ((self._exact, 0.8), (self._synonym, 0.7)):
            for name, hits in table.items():
                if name.startswith(key) or f" {key}" in name:
                    bonus = 0.05 if name.startswith(key) else 0.0
                    for hit in hits:
                        if self._in(hit, ontology):
                            self._keep(scored, hit, score + bonus - len(name) / 1000, name)
        ranked = sorted(
            scored.values(), key=lambda m: (m.term.obsolete, -m.score, len(m.term.label))
        )
        return ranked[:limit]

    def _keep(self, scored: dict[str, Match], iri: str, score: float, matched: str) -> None:
        if iri not in scored or scored[iri].score < score:
            scored[iri] = Match(self.terms[iri], score, matched)

    def suggest(self, text: str, ontology: str | None = None, limit: int = 5) -> list[Term]:
        """Closest labels for a near miss ("Caenorhabditis elegan", "confocal microscpy")."""
        key = _norm(text)
        names = [n for n, iris in self._exact.items() if any(self._in(i, ontology) for i in iris)]
        close = difflib.get_close_matches(key, names, n=limit, cutoff=0.75)
        found: list[Term] = []
        for name in close:
            found.extend(self.terms[i] for i in self._exact[name] if self._in(i, ontology))
        return found[:limit]

    # --- hierarchy -------------------------------------------------------------------------

    def parents(self, iri: str, with_part_of: bool = True) -> list[str]:
        term = self.terms.get(iri)
        if term is None:
            return []
        if with_part_of and term.ontology == "go":
            return term.parents + term.part_of
        return list(term.parents)

    def child_terms(self, iri: str, with_part_of: bool = True) -> list[str]:
        kids = list(self.children.get(iri, []))
        if with_part_of and iri in self.terms and self.terms[iri].ontology == "go":
            kids += self.part_children.get(iri, [])
        return kids

    def ancestors(self, iri: str) -> frozenset[str]:
        """Strict ancestors over is_a (and part_of inside GO, its propagation rule)."""
        return _ancestors(self, iri)

    def descendants(self, iri: str) -> set[str]:
        """Strict descendants over the same relations as `ancestors`."""
        found: set[str] = set()
        stack = [iri]
        while stack:
            for kid in self.child_terms(stack.pop()):
                if kid not in found:
                    found.add(kid)
                    stack.append(kid)
        return found


def _ancestors(index: TermIndex, iri: str) -> frozenset[str]:
    """Walked, not recursed: MeSH's tree numbers make a few cycles (Strabismus and Ocular
    Motility Disorders are each under the other), so a term may meet itself on the way up;
    it is never its own ancestor. Closures already known are taken whole."""
    cache = index.ancestor_cache
    hit = cache.get(iri)
    if hit is not None:
        return hit
    found: set[str] = set()
    stack = list(index.parents(iri))
    while stack:
        node = stack.pop()
        if node in found:
            continue
        found.add(node)
        known = cache.get(node)
        if known is not None:
            found |= known
        else:
            stack.extend(index.parents(node))
    found.discard(iri)
    result = frozenset(found)
    cache[iri] = result
    return result


def _term(record: dict[str, object], ontology: str) -> Term:
    def strings(key: str) -> list[str]:
        value = record.get(key) or []
        return [str(v) for v in value] if isinstance(value, list) else []

    def iris(key: str) -> list[str]:
        return [_curie_to_iri(c) for c in strings(key)]

    replaced = record.get("replaced_by")
    return Term(
        curie=str(record["id"]),
        iri=str(record["iri"]),
        label=str(record["label"]),
        ontology=ontology,
        synonyms=strings("synonyms"),
        namespace=str(record.get("ns", "")),
        parents=iris("parents"),
        part_of=iris("part_of"),
        obsolete=bool(record.get("obsolete", False)),
        replaced_by=_curie_to_iri(str(replaced)) if replaced else None,
    )


def read_aliases(path: Path) -> dict[str, str]:
    """Curated everyday names ("worm", "fly") that no ontology lists as a synonym."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {row["alias"]: row["curie"] for row in rows}


@cache
def shipped_term_index() -> TermIndex:
    """The shipped terms, loaded once per process (read-only, so sharing it is safe).

    Its millions of small objects live as long as the process: the cyclic garbage collector
    is paused while they are made (it spent more than half the load scanning them) and they
    are then moved out of its view (`gc.freeze`), so later collections skip them too.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        index = TermIndex.load()
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return index


@cache
def taxonomy_index() -> TermIndex:
    """Only the shipped taxonomy (fast to load), for readers naming organisms in free text."""
    return TermIndex.load(["ncbitaxon"])


def taxon_from_text(text: str) -> str | None:
    """An NCBITaxon IRI for "Homo sapiens (human)" or "Caenorhabditis elegans": an exact
    scientific or common name (an appended common name in brackets is allowed), never fuzzy.

    >>> taxon_from_text("Homo sapiens (human)")
    'http://purl.obolibrary.org/obo/NCBITaxon_9606'
    >>> taxon_from_text("Beads") is None
    True
    """
    index = taxonomy_index()
    name = text.strip()
    found = index.exact(name, "ncbitaxon")
    if found is None and name.endswith(")") and "(" in name:
        found = index.exact(name[: name.rindex("(")], "ncbitaxon")
    return found


def ontology_of_curie(curie: str) -> str | None:
    return _PREFIX_ONTOLOGY.get(curie.partition(":")[0])
