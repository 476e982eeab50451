"""Identifier and unit normalisation shared by every reader.

Sources write the same term many ways (`NCBITaxon:6239`, `NCBITaxon_6239`, bare `6239`,
`NCBI:txid6239`, taxonomy web URLs; `FBbi:00000251`, `FBbi_ 00000251`...). Readers call these
functions so the graph holds one IRI per term. Free text is never turned into an IRI by
guesswork: functions return None when a value is not recognisably an identifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

OBO = "http://purl.obolibrary.org/obo/"

# OBO prefixes we accept, with the number of digits their local ids are padded to (None: as is).
_OBO_PREFIXES: dict[str, int | None] = {
    "NCBITAXON": None,
    "GO": 7,
    "FBBI": 8,
    "CL": 7,
    "CLO": 7,
    "UBERON": 7,
    "EFO": 7,
    "CMPO": 7,
    "UO": 7,
    "OBI": 7,
    "CHEBI": None,
    "IAO": 7,
    "OMIT": 7,
}
_CANONICAL_PREFIX = {p: p for p in _OBO_PREFIXES} | {"NCBITAXON": "NCBITaxon", "FBBI": "FBbi"}

_CURIE = re.compile(r"^\s*([A-Za-z]+)\s*[:_]\s*(\d+)\s*$")
_OBO_IRI = re.compile(r"^\s*https?://purl\.obolibrary\.org/obo/([A-Za-z]+)_(\d+)\s*$")
_TAXON_URL = re.compile(
    r"^\s*https?://www\.ncbi\.nlm\.nih\.gov/(?:datasets/taxonomy/|Taxonomy/Browser/wwwtax\.cgi\?id=)"
    r"(\d+)/?\s*$"
)
_TXID = re.compile(r"^\s*NCBI\s*:\s*txid\s*(\d+)\s*$", re.IGNORECASE)


def obo_iri(prefix: str, local: str) -> str | None:
    """Build the canonical OBO PURL for `prefix` and numeric `local`, or None if unknown."""
    key = prefix.upper()
    if key not in _OBO_PREFIXES or not local.isdigit():
        return None
    width = _OBO_PREFIXES[key]
    number = str(int(local)) if width is None else local.lstrip("0").rjust(width, "0")
    return f"{OBO}{_CANONICAL_PREFIX[key]}_{number}"


def term_iri(value: str, default_prefix: str | None = None) -> str | None:
    """Normalise a term reference (CURIE, OBO IRI, bare number with a default prefix) to its IRI.

    >>> term_iri("NCBITaxon:6239")
    'http://purl.obolibrary.org/obo/NCBITaxon_6239'
    >>> term_iri("FBbi_ 251")
    'http://purl.obolibrary.org/obo/FBbi_00000251'
    >>> term_iri("9606", default_prefix="NCBITaxon")
    'http://purl.obolibrary.org/obo/NCBITaxon_9606'
    >>> term_iri("C. elegans") is None
    True
    """
    text = value.strip()
    for pattern in (_OBO_IRI, _CURIE):
        match = pattern.match(text)
        if match:
            return obo_iri(match.group(1), match.group(2))
    match = _TAXON_URL.match(text) or _TXID.match(text)
    if match:
        return obo_iri("NCBITaxon", match.group(1))
    if default_prefix and text.isdigit():
        return obo_iri(default_prefix, text)
    return None


def taxon_iri(value: str) -> str | None:
    """Normalise any NCBI taxon reference; a bare number is taken as a taxon id."""
    iri = term_iri(value, default_prefix="NCBITaxon")
    return iri if iri and iri.startswith(f"{OBO}NCBITaxon_") else None


_LABELLED_TERM = re.compile(r"^\s*(?P<label>.*?)\s*\(\s*(?P<curie>[A-Za-z]+\s*[:_]\s*\d+)\s*\)\s*$")


def split_labelled_terms(text: str) -> list[tuple[str, str | None]]:
    """Split "C. elegans (NCBITaxon:6239), M. musculus (NCBITaxon:10090)" into (label, IRI) pairs.

    Items without a recognisable identifier come back with IRI None so the caller can report them.

    >>> split_labelled_terms("cell (GO_0005623), nucleus (GO:0005634)")[1]
    ('nucleus', 'http://purl.obolibrary.org/obo/GO_0005634')
    """
    items: list[tuple[str, str | None]] = []
    for part in re.split(r"[,;](?![^()]*\))", text):
        part = part.strip().rstrip(".")
        if not part:
            continue
        match = _LABELLED_TERM.match(part)
        if match:
            items.append((match.group("label"), term_iri(match.group("curie"))))
        else:
            items.append((part, term_iri(part)))
    return items


# --- units -------------------------------------------------------------------------------

UO = f"{OBO}UO_"
_UNITS: dict[str, tuple[str, str]] = {
    # spelling -> (UO IRI, canonical label)
    "nm": (f"{UO}0000018", "nanometer"),
    "nanometer": (f"{UO}0000018", "nanometer"),
    "nanometre": (f"{UO}0000018", "nanometer"),
    "um": (f"{UO}0000017", "micrometer"),
    "µm": (f"{UO}0000017", "micrometer"),
    "μm": (f"{UO}0000017", "micrometer"),
    "micron": (f"{UO}0000017", "micrometer"),
    "micrometer": (f"{UO}0000017", "micrometer"),
    "micrometre": (f"{UO}0000017", "micrometer"),
    "mm": (f"{UO}0000016", "millimeter"),
    "millimeter": (f"{UO}0000016", "millimeter"),
    "millimetre": (f"{UO}0000016", "millimeter"),
    "m": (f"{UO}0000008", "meter"),
    "meter": (f"{UO}0000008", "meter"),
    "metre": (f"{UO}0000008", "meter"),
    "pixel": (f"{UO}0000256", "pixel"),
    "ns": (f"{UO}0000150", "nanosecond"),
    "nanosecond": (f"{UO}0000150", "nanosecond"),
    "microsecond": (f"{UO}0000029", "microsecond"),
    "ms": (f"{UO}0000028", "millisecond"),
    "millisecond": (f"{UO}0000028", "millisecond"),
    "s": (f"{UO}0000010", "second"),
    "sec": (f"{UO}0000010", "second"),
    "second": (f"{UO}0000010", "second"),
    "min": (f"{UO}0000031", "minute"),
    "minute": (f"{UO}0000031", "minute"),
    "h": (f"{UO}0000032", "hour"),
    "hr": (f"{UO}0000032", "hour"),
    "hour": (f"{UO}0000032", "hour"),
    "day": (f"{UO}0000033", "day"),
    "week": (f"{UO}0000034", "week"),
    "month": (f"{UO}0000035", "month"),
    "year": (f"{UO}0000036", "year"),
}


@dataclass(frozen=True)
class ParsedQuantity:
    """A number with a canonical unit, plus the text it came from."""

    value: Decimal
    unit_iri: str
    unit_label: str
    source_text: str


def unit(text: str) -> tuple[str, str] | None:
    """Map a unit spelling (micrometre, um, µm, seconds...) to (UO IRI, canonical label)."""
    key = text.strip().lower().rstrip(".")
    if key in _UNITS:
        return _UNITS[key]
    if key.endswith("s") and key[:-1] in _UNITS and len(key) > 2:
        return _UNITS[key[:-1]]
    return None


_QUANTITY = re.compile(
    r"^\s*(?P<num>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(?P<unit>[^\d\s/][^/]*?)?"
    r"\s*(?:/\s*\w+)?\s*(?:for each time interval)?\s*$"
)


def parse_quantity(text: str) -> ParsedQuantity | None:
    """Parse "0.105 micrometer", "40 seconds", "10 micrometer/pixel" into a number and unit.

    Returns None when either the number or the unit is not recognisable.

    >>> q = parse_quantity("1.1 micrometre")
    >>> (str(q.value), q.unit_label)
    ('1.1', 'micrometer')
    >>> parse_quantity("XX micrometer/pixel") is None
    True
    """
    match = _QUANTITY.match(text)
    if not match or not match.group("unit"):
        return None
    found = unit(match.group("unit"))
    if found is None:
        return None
    try:
        value = Decimal(match.group("num"))
    except InvalidOperation:
        return None
    return ParsedQuantity(value, found[0], found[1], text.strip())


def is_plausible_iri(value: str) -> bool:
    """True when `value` can be stored as an IRI (absolute, no spaces, quotes or commas)."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`,]+$", value))


# --- licences ----------------------------------------------------------------------------

_CC_IRI = re.compile(
    r"^\s*https?://creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)/?(?:legalcode)?\s*$",
    re.IGNORECASE,
)
_CC_NAME = re.compile(
    r"^\s*CC[\s-]*(BY(?:[\s-]*(?:NC|SA|ND))*|0)(?:[\s-]*(\d\.\d))?(?:\s+International)?\s*$",
    re.IGNORECASE,
)


def license_iri(text: str) -> tuple[str, bool] | None:
    """Canonical Creative Commons IRI for an IRI or a name like "CC BY-NC-SA".

    Returns (iri, version_assumed); version_assumed is True when the text named no version
    and 4.0 (1.0 for CC0) was assumed, so the caller can say so.

    >>> license_iri("http://creativecommons.org/licenses/by-sa/4.0")
    ('https://creativecommons.org/licenses/by-sa/4.0/', False)
    >>> license_iri("CC BY-NC-SA")
    ('https://creativecommons.org/licenses/by-nc-sa/4.0/', True)
    """
    match = _CC_IRI.match(text)
    if match:
        kind, code, version = match.group(1).lower(), match.group(2).lower(), match.group(3)
        return f"https://creativecommons.org/{kind}/{code}/{version}/", False
    match = _CC_NAME.match(text)
    if match:
        code = re.sub(r"[\s-]+", "-", match.group(1).strip()).lower()
        if code == "0":
            return f"https://creativecommons.org/publicdomain/zero/{match.group(2) or '1.0'}/", (
                match.group(2) is None
            )
        return f"https://creativecommons.org/licenses/{code}/{match.group(2) or '4.0'}/", (
            match.group(2) is None
        )
    return None


# --- additions for the SSBD template reader ------------------------------------------------

_LENGTH_UNITS = frozenset({f"{UO}0000018", f"{UO}0000017", f"{UO}0000016", f"{UO}0000008"})
_TIME_NUMBERS = "0000150 0000029 0000028 0000010 0000031 0000032 0000033 0000034 0000035 0000036"
_TIME_UNITS = frozenset(f"{UO}{n}" for n in _TIME_NUMBERS.split())


def unit_dimension(unit_iri: str) -> str | None:
    """Say whether a UO unit measures "length" or "time" (None otherwise, e.g. pixel).

    Readers use it to refuse a pixel or second where a physical pixel size is expected.

    >>> unit_dimension("http://purl.obolibrary.org/obo/UO_0000017")
    'length'
    >>> unit_dimension("http://purl.obolibrary.org/obo/UO_0000256") is None
    True
    """
    if unit_iri in _LENGTH_UNITS:
        return "length"
    if unit_iri in _TIME_UNITS:
        return "time"
    return None


_PUBMED = re.compile(
    r"^\s*(?:PMID\s*:?\s*|https?://(?:www\.)?(?:ncbi\.nlm\.nih\.gov/pubmed/|pubmed\.ncbi\.nlm\.nih\.gov/))?"
    r"(\d{1,9})/?\s*$",
    re.IGNORECASE,
)


def pubmed_id(text: str) -> str | None:
    """The PubMed id in a PubMed URL, "PMID: n" or a bare number; None for anything else.

    >>> pubmed_id("https://www.ncbi.nlm.nih.gov/pubmed/28629355")
    '28629355'
    >>> pubmed_id("https://pubmed.ncbi.nlm.nih.gov/28629355/")
    '28629355'
    >>> pubmed_id("see the paper") is None
    True
    """
    match = _PUBMED.match(text)
    return str(int(match.group(1))) if match else None


# --- additions for the peer readers (IDR, BIA PageTab, RO-Crate, OME-XML, BDML) ---------------

_ORCID = re.compile(r"(?:^|[/\s:])(\d{4}-\d{4}-\d{4}-\d{3}[\dX])/?\s*$")
_DOI = re.compile(r"(10\.\d{4,9}/[^\s\"<>]+?)/?\s*$")


def orcid_iri(text: str) -> str | None:
    """The ORCID IRI for a bare ORCID or an ORCID URL; None for anything else.

    >>> orcid_iri("0000-0001-5239-2235")
    'https://orcid.org/0000-0001-5239-2235'
    >>> orcid_iri("https://orcid.org/0000-0002-1825-009X")
    'https://orcid.org/0000-0002-1825-009X'
    >>> orcid_iri("none") is None
    True
    """
    match = _ORCID.search(text.strip())
    return f"https://orcid.org/{match.group(1)}" if match else None


def doi_iri(text: str) -> str | None:
    """`https://doi.org/...` for a bare DOI, `doi:` CURIE or a doi.org / dx.doi.org URL.

    >>> doi_iri("https://dx.doi.org/10.17867/10000110a")
    'https://doi.org/10.17867/10000110a'
    >>> doi_iri("TBD") is None
    True
    """
    text = re.sub(r"^\s*(?:doi\s*:\s*|https?://(?:dx\.)?doi\.org/)", "", text.strip(), flags=re.I)
    match = _DOI.fullmatch(text) or _DOI.match(text)
    if not match or match.start() != 0:
        return None
    return f"https://doi.org/{match.group(1)}"


_TERM_SOURCES = {
    "NCBITAXON": "NCBITaxon",
    "NCBI": "NCBITaxon",
    "TAXONOMY": "NCBITaxon",
    "FBBI": "FBbi",
    "GO": "GO",
    "CL": "CL",
    "CLO": "CLO",
    "UBERON": "UBERON",
    "EFO": "EFO",
    "CMPO": "CMPO",
    "UO": "UO",
    "OMIT": "OMIT",
}


def term_source_prefix(source_ref: str) -> str | None:
    """The canonical OBO prefix for a "Term Source REF" name (`Fbbi` -> `FBbi`), else None.

    >>> term_source_prefix(" Fbbi ")
    'FBbi'
    """
    return _TERM_SOURCES.get(source_ref.strip().upper())


def term_accession_iri(accession: str, source_ref: str = "") -> str | None:
    """Normalise an ontology accession, using the source name for bare numbers.

    Handles `FBbi_00000246`, `FBbi:00000336`, `NCBITaxon_07227`, bare `9606` (with source
    NCBITaxon), bare `00000222` (with source Fbbi) and OBO/NCBI IRIs.

    >>> term_accession_iri("00000222", "Fbbi")
    'http://purl.obolibrary.org/obo/FBbi_00000222'
    >>> term_accession_iri("NCBITaxon_07227")
    'http://purl.obolibrary.org/obo/NCBITaxon_7227'
    >>> term_accession_iri("7955", "NCBITaxon")
    'http://purl.obolibrary.org/obo/NCBITaxon_7955'
    """
    prefix = term_source_prefix(source_ref) if source_ref else None
    return term_iri(accession, default_prefix=prefix)


# OME/UDUNITS/BDML length spellings that `unit` does not know, mapped to its spellings.
_UNIT_ALIASES = {
    "å": "angstrom",
    "Å": "angstrom",
    "angstrom": "angstrom",
    "pm": "picometer",
    "cm": "centimeter",
}
_EXTRA_UNITS: dict[str, tuple[str, str]] = {
    "angstrom": (f"{UO}0000019", "angstrom"),
    "picometer": (f"{UO}0000020", "picometer"),
    "centimeter": (f"{UO}0000015", "centimeter"),
}
# micrometers per unit, to judge plausibility whatever unit a size was written in
_MICROMETERS = {
    f"{UO}0000008": Decimal("1e6"),
    f"{UO}0000015": Decimal("1e4"),
    f"{UO}0000016": Decimal("1e3"),
    f"{UO}0000017": Decimal(1),
    f"{UO}0000018": Decimal("1e-3"),
    f"{UO}0000019": Decimal("1e-4"),
    f"{UO}0000020": Decimal("1e-6"),
}
# 1/72 inch (the TIFF default resolution) in micrometers: 352.777... µm
_TIFF_DEFAULT_UM = Decimal("352.7777")


def length_unit(text: str) -> tuple[str, str] | None:
    """Like `unit`, but also knows OME/UDUNITS spellings (Å, pm, cm); length units only."""
    key = text.strip()
    found = unit(key) or _EXTRA_UNITS.get(
        _UNIT_ALIASES.get(key, _UNIT_ALIASES.get(key.lower(), ""))
    )
    if found and unit_dimension(found[0]) != "length" and found[0] not in _MICROMETERS:
        return None
    return found


def pixel_size(
    value: str | float | Decimal, unit_text: str | None
) -> tuple[ParsedQuantity | None, str | None]:
    """A physical pixel size as (quantity, problem). `unit_text` None means OME's default µm.

    The quantity keeps the unit it was written in (metres stay metres: no rounding surprises);
    the problem text says why a size is suspicious, e.g. the 1/72-inch TIFF default.

    >>> q, problem = pixel_size("0.000352777", "m")
    >>> (q.unit_label, problem is not None)
    ('meter', True)
    >>> pixel_size("0.0698", None)[1] is None
    True
    """
    text = str(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        parsed = parse_quantity(text)
        if parsed is None:
            return None, f"not a number with a length unit: {text!r}"
        return parsed, plausibility_problem(parsed)
    found = length_unit(unit_text) if unit_text else (f"{UO}0000017", "micrometer")
    if found is None:
        return None, f"unknown length unit {unit_text!r}"
    label = f"{text} {unit_text}" if unit_text else f"{text} (default unit micrometer)"
    quantity = ParsedQuantity(number, found[0], found[1], label)
    return quantity, plausibility_problem(quantity)


def plausibility_problem(quantity: ParsedQuantity) -> str | None:
    """Say why a pixel size looks wrong: not positive, the 72-dpi TIFF default, or absurd."""
    factor = _MICROMETERS.get(quantity.unit_iri)
    if factor is None:
        return None
    micrometers = quantity.value * factor
    if micrometers <= 0:
        return "pixel size must be positive"
    if abs(micrometers - _TIFF_DEFAULT_UM) < Decimal("0.01"):
        return "pixel size is 1/72 inch, the TIFF default resolution, not a physical size"
    if micrometers > Decimal("1e5"):
        return "pixel size above 10 cm is implausible for microscopy (unit wrong?)"
    return None


# Names the archives go by in the files they publish -> the one name the `source` facet shows.
# SSBD's RO-Crates name the tier ("SSBD:database", "SSBD:repository"); the tier is kept in the
# record's conformance, the facet groups both under SSBD.
_REPOSITORIES = {
    "idr": "IDR",
    "image data resource": "IDR",
    "the image data resource": "IDR",
    "bia": "BioImage Archive",
    "bioimage archive": "BioImage Archive",
    "embl-ebi bioimage archive": "BioImage Archive",
    "ssbd": "SSBD",
    "ssbd:database": "SSBD",
    "ssbd:repository": "SSBD",
    "systems science of biological dynamics": "SSBD",
}


def repository_name(text: str) -> str:
    """The one name of a known archive, else the text as written.

    >>> repository_name("Image Data Resource")
    'IDR'
    >>> repository_name("SSBD:repository")
    'SSBD'
    >>> repository_name("Example Image Database")
    'Example Image Database'
    """
    return _REPOSITORIES.get(" ".join(text.split()).casefold(), text.strip())
