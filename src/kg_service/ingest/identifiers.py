"""IRIs for the identifiers of image-level annotations: genes, compounds, phenotypes, cell lines.

`normalize` turns OBO-style accessions into OBO PURLs. The annotation vocabularies of IDR are
mostly not OBO: CMPO and EFO live under their EBI namespaces (the IRIs their own releases
use), genes are Ensembl or NCBI Gene ids, compounds PubChem CIDs or ChEBI ids, cell lines
Cellosaurus accessions. Each function returns None when the text is not recognisably such an
identifier, so the caller reports it instead of guessing.
"""

from __future__ import annotations

import re

from kg_service.normalize import term_accession_iri

CMPO = "http://www.ebi.ac.uk/cmpo/"
EFO = "http://www.ebi.ac.uk/efo/"
ENSEMBL = "http://identifiers.org/ensembl/"
NCBI_GENE = "http://identifiers.org/ncbigene/"
# model-organism gene ids: pattern -> identifiers.org namespace
_ORGANISM_GENES = (
    (re.compile(r"^\s*(FBgn\d{7})\s*$"), "http://identifiers.org/flybase/"),
    (re.compile(r"^\s*(WBGene\d{8})\s*$"), "http://identifiers.org/wormbase/"),
    (re.compile(r"^\s*(ZDB-GENE-\d{6}-\d+)\s*$"), "http://identifiers.org/zfin/"),
    (re.compile(r"^\s*(MGI:\d+)\s*$"), "http://identifiers.org/"),
    (re.compile(r"^\s*(S\d{9})\s*$"), "http://identifiers.org/sgd/"),
)
PUBCHEM = "http://identifiers.org/pubchem.compound/"
CELLOSAURUS = "http://identifiers.org/cellosaurus/"
OBO = "http://purl.obolibrary.org/obo/"

_EBI_TERM = re.compile(
    r"^\s*(?:https?://www\.ebi\.ac\.uk/(?:cmpo|efo)/|https?://purl\.obolibrary\.org/obo/)?"
    r"(?P<prefix>CMPO|EFO)\s*[:_]\s*(?P<local>\d+)\s*$",
    re.IGNORECASE,
)
_ENSEMBL = re.compile(
    r"^\s*(?:https?://(?:www\.)?ensembl\.org/id/)?(ENS[A-Z]*G\d{11})(?:\.\d+)?\s*$"
)
_YEAST_ORF = re.compile(r"^\s*(Y[A-P][LR]\d{3}[WC](?:-[A-Z])?)\s*$")
_CELLOSAURUS = re.compile(r"^\s*(?:cellosaurus\s*[:_]\s*)?(CVCL_[0-9A-Z]{4})\s*$", re.IGNORECASE)


def ebi_term_iri(accession: str, source_ref: str = "") -> str | None:
    """CMPO and EFO accessions under the namespaces their releases use; other terms via OBO.

    >>> ebi_term_iri("CMPO_0000395")
    'http://www.ebi.ac.uk/cmpo/CMPO_0000395'
    >>> ebi_term_iri("0003789", "EFO")
    'http://www.ebi.ac.uk/efo/EFO_0003789'
    >>> ebi_term_iri("UBERON_0002113")
    'http://purl.obolibrary.org/obo/UBERON_0002113'
    """
    text = accession.strip()
    ref = source_ref.strip().upper()
    if text.isdigit() and ref in ("CMPO", "EFO"):
        text = f"{ref}_{text}"
    match = _EBI_TERM.match(text)
    if match:
        prefix = match["prefix"].upper()
        local = match["local"].lstrip("0").rjust(7, "0")
        return f"{CMPO if prefix == 'CMPO' else EFO}{prefix}_{local}"
    cell = _CELLOSAURUS.match(text)
    if cell:
        return CELLOSAURUS + cell.group(1).upper()
    return term_accession_iri(text, source_ref)


def gene_iri(text: str) -> str | None:
    """Ensembl, NCBI Gene and model-organism gene ids as identifiers.org IRIs.

    >>> gene_iri("FBgn0000659")
    'http://identifiers.org/flybase/FBgn0000659'
    >>> gene_iri("ENSG00000075239")
    'http://identifiers.org/ensembl/ENSG00000075239'
    >>> gene_iri("NCBIGene:1234")
    'http://identifiers.org/ncbigene/1234'
    >>> gene_iri("ACAT1") is None
    True
    """
    match = _ENSEMBL.match(text)
    if match:
        return ENSEMBL + match.group(1)
    for pattern, base in _ORGANISM_GENES:
        hit = pattern.match(text)
        if hit:
            return base + hit.group(1)
    found = re.match(r"^\s*(?:ncbi\s*gene|entrez|geneid)\s*[:_]?\s*(\d+)\s*$", text, re.IGNORECASE)
    if found:
        return NCBI_GENE + found.group(1)
    return None


def entrez_iri(text: str) -> str | None:
    """A bare number from an "Entrez Gene Identifier" column."""
    return NCBI_GENE + text.strip() if text.strip().isdigit() else gene_iri(text)


def pubchem_iri(text: str) -> str | None:
    """A PubChem compound id ("679", "CID679", "CID:679").

    >>> pubchem_iri("CID 679")
    'http://identifiers.org/pubchem.compound/679'
    """
    found = re.match(r"^\s*(?:CID\s*:?\s*)?(\d+)\s*$", text, re.IGNORECASE)
    return PUBCHEM + found.group(1) if found else None


def chebi_iri(text: str) -> str | None:
    """A ChEBI id as its OBO PURL.

    >>> chebi_iri("CHEBI:15377")
    'http://purl.obolibrary.org/obo/CHEBI_15377'
    """
    found = re.match(r"^\s*CHEBI\s*[:_]\s*(\d+)\s*$", text, re.IGNORECASE)
    return f"{OBO}CHEBI_{int(found.group(1))}" if found else None


def is_yeast_orf(text: str) -> bool:
    """Systematic S. cerevisiae gene names (YAL001C): genes without an Ensembl-style id."""
    return bool(_YEAST_ORF.match(text))
