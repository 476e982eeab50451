"""What the search index reads from each dataset: one declarative table, one row per facet.

A new facet needs only a row here: a name in HIERARCHICAL (ontology terms, counted with
roll-up through the term hierarchy) or FLAT (plain values), and its paths in PATHS. The
index stores every facet value as one token `facet<US>value` in a single engine field, so the
engine schema does not change with the table; the table's fingerprint is kept with the index
on disk, and a changed table makes the service rebuild the index in the background.
"""

from __future__ import annotations

import hashlib
import json

KG = "https://w3id.org/bioimage-kg/vocab/"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
SDO = "http://schema.org/"
OBO = "http://purl.obolibrary.org/obo/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# A step from a node to the next: a predicate, "^" in front for the inverse direction.
Path = tuple[str, ...]
PART_OF_PROJECT = f"^{DCT}hasPart"
# image groups (issue 16): nodes with kg:imageCount; a path through them also counts images
IMAGE_GROUP = f"{KG}imageGroup"
IMAGE_COUNT = f"{KG}imageCount"

HIERARCHICAL = ("organism", "go", "imaging_method", "mesh", "cell", "phenotype")
FLAT = ("license", "kind", "format", "year", "source", "gene", "compound", "sirna", "antibody")
FACETS = HIERARCHICAL + FLAT
# facet -> paths from a dataset to its values (each path in one named graph); "year" comes
# from the date paths below
PATHS: dict[str, tuple[Path, ...]] = {
    "organism": ((f"{KG}biosample", f"{OBO}RO_0002162"),),
    "go": tuple(
        (f"{KG}biosample", f"{KG}go{branch}")
        for branch in ("MolecularFunction", "BiologicalProcess", "CellularComponent")
    ),
    "imaging_method": ((f"{KG}imageAcquisition", f"{KG}imagingMethod"),),
    "mesh": ((f"{KG}biosample", f"{KG}meshTerm"), (f"{KG}imageAcquisition", f"{KG}meshTerm")),
    "cell": (
        (f"{KG}biosample", f"{KG}cellLine"),
        (f"{KG}biosample", f"{KG}cellType"),
        (IMAGE_GROUP, f"{KG}cellLine"),
    ),
    # issue 16: image-level annotations (IDR), counted in datasets and in images
    "phenotype": ((IMAGE_GROUP, f"{KG}phenotype"), (f"{KG}scoredPhenotype", f"{KG}phenotypeTerm")),
    "gene": ((IMAGE_GROUP, f"{KG}gene"),),
    "compound": ((IMAGE_GROUP, f"{KG}compound"),),
    "sirna": ((IMAGE_GROUP, f"{KG}sirna"),),
    "antibody": ((IMAGE_GROUP, f"{KG}antibody"),),
    "license": ((f"{DCT}license",), (PART_OF_PROJECT, f"{DCT}license")),
    "kind": ((f"{KG}dataKind",),),
    "format": ((f"{KG}fileFormat",), (f"{DCAT}distribution", f"{DCAT}mediaType")),
    "source": ((PART_OF_PROJECT, f"{KG}sourceRepository"),),
}
# facets with a path through image groups: their trees also count images
IMAGE_FACETS = tuple(f for f, paths in PATHS.items() if any(p[0] == IMAGE_GROUP for p in paths))
# ontology of a term -> the facet where that term is a filter (a term id or name in `q`)
ONTOLOGY_FACETS = {
    "ncbitaxon": "organism",
    "go": "go",
    "fbbi": "imaging_method",
    "cmpo": "phenotype",
    "mesh": "mesh",
    "licenses": "license",
}
# date paths in order of preference: the dataset's own release, its project's, submission
DATE_PATHS: tuple[Path, ...] = (
    (f"{DCT}issued",),
    (PART_OF_PROJECT, f"{DCT}issued"),
    (PART_OF_PROJECT, f"{DCT}dateSubmitted"),
)
# free text of a dataset beyond its title and its terms' names: engine field -> paths
TEXT_PATHS: dict[str, tuple[Path, ...]] = {
    "text": (
        (f"{DCT}description",),
        (f"{SDO}keywords",),
        (f"{KG}biosample", f"{DCT}description"),
        (f"{KG}imageAcquisition", f"{KG}imagingMethodName"),
        (PART_OF_PROJECT, f"{DCT}title"),
        (PART_OF_PROJECT, f"{DCT}description"),
        (PART_OF_PROJECT, f"{SDO}keywords"),
    ),
    "ids": (
        (f"{DCT}identifier",),
        (PART_OF_PROJECT, f"{DCT}identifier"),
    ),
}
# labels of values that are not ontology terms
VALUE_LABELS = {
    f"{KG}ImageDataKind": "image data",
    f"{KG}QuantitativeDataKind": "quantitative data",
}


def table_fingerprint() -> str:
    """A short hash of this table: an index built under another table is rebuilt."""
    table = [HIERARCHICAL, FLAT, PATHS, DATE_PATHS, TEXT_PATHS]
    return hashlib.sha256(json.dumps(table, sort_keys=True).encode()).hexdigest()[:16]
