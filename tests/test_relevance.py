"""Relevance on the real corpus: queries people type into SSBD, IDR and BioImage Archive search
boxes (organisms by common and scientific name, methods, processes, accessions and term ids,
plurals, misspellings, phrases, half-typed words), each with datasets that must be in the top 5.

The corpus is every real record we read: the SSBD examples and BD5 record in this repository,
and the IDR study files, BioImage Archive PageTab files and RO-Crates, SSBD RO-Crates, OME-XML,
BDML and SSBD templates in ../shared/data (no licence to copy them here: `corpus` tests).
An expected id ending in "*" is any dataset of that project.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg_service.pipeline import submit
from kg_service.search import Query, SearchIndex
from kg_service.store import OxigraphStore
from kg_service.terms.index import shipped_term_index
from tests.conftest import BASE, EXAMPLE_SSBD, REPO, SHARED_DATA

pytestmark = pytest.mark.corpus

RELEVANCE = [
    # organisms: common names, scientific names, abbreviations
    ("C. elegans", ["bd5-081505-L1", "ssbd-20-Membrane-Fig1-A.tif"]),
    ("Caenorhabditis elegans", ["bd5-081505-L1"]),
    ("worm", ["ssbd-131-131-Wen-NeuronalNucDyn"]),
    ("zebrafish", ["idr0068-experimentA", "ssbd-repos-000223-ssbd-repos-000223"]),
    ("Danio rerio", ["idr0068-experimentA"]),
    ("medaka", ["ssbd-337-337-Isoe-BrainRegion"]),
    ("medaka embryo", ["ssbd-150-150-Abe-SomiteDev"]),
    ("Arabidopsis", ["idr0077-*"]),
    ("fission yeast", ["ssbd-217-217-Sakai-iRFPactivity"]),
    ("human", ["idr0148-*", "idr0013-*"]),
    ("Drosophila", ["ssbd-repos-000490-ssbd-repos-000490"]),
    ("E. coli", ["ssbd-255-255-Koganezawa-CellDyn"]),
    ("gecko", ["ssbd-212-212-Kajikawa-GeckoEmbryos"]),
    ("dog", ["S-BIAD1135-Calcium_wave_in_MDCK_epithelium"]),
    ("marmoset", ["ssbd-48-Fig5_1310045_21-46-25"]),
    ("mouse oocytes", ["ssbd-421-421-Takenouchi-AgedYoungOocyte"]),
    # imaging methods
    ("light sheet fluorescence microscopy", ["idr0038-*", "idr0077-*"]),
    ("spinning disk confocal", ["S-BIAD1752-CellCycleNet_60x_Confocal_Dataset_OME-Zarr"]),
    ("FIB-SEM", ["ssbd-141-*", "EMPIAR-10310-*"]),
    ("electron microscopy", ["idr0148-*", "ssbd-141-*"]),
    ("STED", ["ssbd-163-Fig2A_STED_mitochondria"]),
    ("time-lapse", ["ssbd-20-Membrane-Fig1-A.tif"]),
    ("timelapse", ["ssbd-150-150-Abe-SomiteDev", "ssbd-98-fig2ab_trajectory_epithelialcell"]),
    # processes, structures, topics (GO synonyms included)
    ("cell division", ["idr0013-*"]),
    ("mitochondrial dynamics", ["ssbd-163-Fig5AC_Mitochondrial_MitoPB"]),
    ("calcium", ["S-BIAD1135-Calcium_wave_in_MDCK_epithelium"]),
    ("embryogenesis", ["ssbd-2-wt_N2_030303_01"]),
    ("cell tracking", ["idr0038-*"]),
    ("segmentation masks", ["S-BIAD1492-S-BIAD1492"]),
    ("cell cycle", ["S-BIAD1752-*", "idr0001-*"]),
    # accessions, term ids and IRIs, file names
    ("idr0013", ["idr0013-*"]),
    ("S-BIAD1752", ["S-BIAD1752-CellCycleNet_40x_Confocal_Dataset_OME-Zarr"]),
    ("idr0054", ["S-BIAD704-S-BIAD704"]),
    ("GO:0009790", ["ssbd-2-wt_N2_030303_01"]),
    ("FBbi:00000369", ["idr0068-experimentA", "idr0077-*"]),
    ("NCBITaxon_7955", ["idr0068-experimentA"]),
    ("http://purl.obolibrary.org/obo/NCBITaxon_9615", ["S-BIAD1135-*"]),
    ("081505_L1", ["bd5-081505-L1"]),
    # plurals and other word forms
    ("embryos", ["ssbd-2-*", "ssbd-20-*"]),
    ("synapses", ["ssbd-141-*"]),
    ("oocytes", ["ssbd-421-421-Takenouchi-AgedYoungOocyte"]),
    ("organoid", ["idr0038-*"]),
    # misspellings
    ("Caenorhabditis elgans", ["bd5-081505-L1"]),
    ("zebrafsh", ["idr0068-experimentA"]),
    ("mitochondira", ["ssbd-163-*"]),
    ("flourescence", ["idr0038-*", "ssbd-199-*"]),
    # phrases and half-typed words
    ('"kidney organoids"', ["idr0038-*"]),
    ('"mouse brain"', ["EXAMPLE-001-EXAMPLE-001", "ssbd-48-*"]),
    ("organo", ["idr0038-*"]),
    ("marmo", ["ssbd-48-Fig5_1310045_21-46-25"]),
]


def _corpus_files() -> list[Path]:
    peers = SHARED_DATA / "peers"
    files: list[Path] = []
    # in the layers of `make run`: RO-Crates first, then the richer study files of the same
    # studies (IDR study files, BIA PageTab with its datasets), which replace them
    for folder in ("idr/ro-crates", "bia/ro-crates", "gide/examples"):
        files += sorted(p for p in (peers / folder).glob("*.json") if "search_entry" not in p.name)
    files += sorted((peers / "ssbd-ro-crates").rglob("*.json"))
    files += sorted((peers / "idr" / "study").glob("idr*-study.txt"))
    files += sorted(
        p for p in (peers / "bia" / "pagetab").glob("*.json") if "override" not in p.name
    )
    files += [peers / "ome" / "simple.ome.xml"]
    files += [SHARED_DATA / "ssbd" / "bdml" / "140911_DiR_x1_worm1_bdml3.0.xml"]
    files += sorted((SHARED_DATA / "ssbd" / "templates").glob("*.xlsx"))
    # last, so that where an RO-Crate describes the same SSBD project, the richer SSBD
    # ontology record (with GO terms) is the one kept
    return [*files, EXAMPLE_SSBD, REPO / "examples" / "bd5" / "081505_L1_bd5.ttl"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    store = OxigraphStore(tmp_path_factory.mktemp("corpus") / "store")
    for path in _corpus_files():  # one by one: a file some reader refuses is left out
        submit([path], store, BASE)
    index = SearchIndex(shipped_term_index(), BASE)
    index.build(store)
    assert index.search(Query(facets=[]))["total"] > 120
    yield index
    store.close()


@pytest.mark.parametrize(("q", "expected"), RELEVANCE, ids=[q for q, _ in RELEVANCE])
def test_expected_datasets_are_in_the_top_5(
    corpus: SearchIndex, q: str, expected: list[str]
) -> None:
    top = [r["id"].removeprefix("datasets/") for r in corpus.search(Query(q=q, size=5))["results"]]
    for wanted in expected:
        if wanted.endswith("*"):
            assert any(t.startswith(wanted[:-1]) for t in top), (q, wanted, top)
        else:
            assert wanted in top, (q, wanted, top)


def test_the_set_is_large_enough() -> None:
    assert len(RELEVANCE) >= 30 and len({q for q, _ in RELEVANCE}) == len(RELEVANCE)


def test_the_source_facet_names_each_archive_once(corpus: SearchIndex) -> None:
    """SSBD, IDR and the BioImage Archive, under one name each whatever their files call them
    ("Image Data Resource", "SSBD:repository" ...): what a newcomer's first search shows."""
    facet = corpus.search(Query(facets=["source"]))["facets"]["source"]
    counts = {entry["term"]: entry["count"] for entry in facet}
    assert {"SSBD", "IDR", "BioImage Archive"} <= set(counts), counts
    assert not {"Image Data Resource", "SSBD:database", "SSBD:repository"} & set(counts), counts
    assert all(counts[name] >= 10 for name in ("SSBD", "IDR", "BioImage Archive")), counts
