"""The text side of search on tantivy: fields, analyzers, documents and keyword queries.

Why tantivy (the Rust engine behind Quickwit, Python bindings on PyPI): BM25 per field with
boosts, an English Snowball stemmer and stop words, phrase queries on positions, Levenshtein
automata for typos and prefixes, segments on disk that many readers open while one writer
commits, and an index that is updated per document. Measured here at 1,000,000 datasets: a
top-20 keyword page in 2-12 ms, every hit of a 340k-hit query as dataset numbers in ~25 ms.

Fields, by weight: title (3) > names of the dataset's ontology terms, with their synonyms (2)
> free text: descriptions, keywords, the project's text (1) > names of the terms' ancestors
(0.5). The `whole` field keeps identifiers whole (GO:0009790, FBbi_00000246, S-BIAD1076,
idr0075) and unstemmed words, for ids and prefix completion.

Image counts (datasets of image-level annotations, such as IDR screens) travel with the
document, so that a restarted service reads them back from the index on disk: one stored
`images` field, a compact JSON of {facet: {value: images}}, on the documents that have any,
which carry the token IMAGES_MARK in `facet` to be found. Why stored and not as tokens: a
count per (dataset, value) in a token would make one engine query per such pair at start
(tens of thousands for one genome-wide screen); stored, it is one read per dataset that has
image groups, and the facet tokens stay exactly the facet values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

import tantivy
from tantivy import Filter, Occur, Query, TextAnalyzer, TextAnalyzerBuilder, Tokenizer

from kg_service.search.reading import Doc
from kg_service.search.table import FLAT, HIERARCHICAL, VALUE_LABELS
from kg_service.terms.index import TermIndex

ENGLISH = "kg_english"
WHOLE = "kg_whole"
FIELD_BOOSTS = {"title": 3.0, "labels": 2.0, "text": 1.0, "lineage": 0.5}
FUZZY_FIELDS = ("title", "labels", "text")
ID_BOOST = 3.0
FUZZY_BOOST = 0.3  # typo matches score this constant times the field weight
PREFIX_BOOST = 0.5
PREFIX_MIN = 3  # letters before the last word is also completed as a prefix
ONE_TYPO, TWO_TYPOS = 5, 9  # word lengths for one and two typos (Meilisearch's defaults)
SEPARATOR = "\x1f"  # between facet name and value in the `facet` field
IMAGES_MARK = "\x1eimages"  # in `facet` of documents with image counts (no facet name has \x1e)
WHOLE_TEXT_MAX = 100  # longer free texts are not copied into the `whole` field
_ID_TOKEN = r"[A-Za-z0-9]+(?:[:_.\-][A-Za-z0-9]+)*"
_ID_LIKE = re.compile(rf"^(?=.*\d){_ID_TOKEN}$")
_HYPHENATED = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)+\b")
_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_TRIM = ".,;!?()[]{}'"


def english() -> TextAnalyzer:
    """Words split at non-alphanumerics, lower case, English stop words out, Snowball stems."""
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(40))
        .filter(Filter.lowercase())
        .filter(Filter.stopword("english"))
        .filter(Filter.stemmer("english"))
        .build()
    )


def whole_words() -> TextAnalyzer:
    """Identifiers and hyphenated words as one token each, lower case, unstemmed."""
    return TextAnalyzerBuilder(Tokenizer.regex(_ID_TOKEN)).filter(Filter.lowercase()).build()


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("ord", stored=True, indexed=True, fast=True)
    builder.add_text_field("iri", stored=True, tokenizer_name="raw")
    builder.add_text_field("graph", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", stored=True, tokenizer_name=ENGLISH)
    for name in ("labels", "text", "lineage"):
        builder.add_text_field(name, tokenizer_name=ENGLISH)
    builder.add_text_field("whole", tokenizer_name=WHOLE, index_option="basic")
    builder.add_text_field("facet", tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("images", stored=True)
    builder.add_text_field("title_key", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_text_field("date_key", tokenizer_name="raw", index_option="basic", fast=True)
    return builder.build()


def register_analyzers(index: tantivy.Index) -> None:
    index.register_tokenizer(ENGLISH, english())
    index.register_tokenizer(WHOLE, whole_words())


def facet_token(facet: str, value: str) -> str:
    return f"{facet}{SEPARATOR}{value}"


def images_payload(images: dict[str, dict[str, int]]) -> bytes:
    """Image counts per facet and value as the stored `images` field."""
    return json.dumps(images, sort_keys=True, separators=(",", ":")).encode()


def read_images(payload: object) -> dict[str, dict[str, int]]:
    """The image counts of a stored `images` field (empty when there is none)."""
    if not isinstance(payload, bytes):
        return {}
    found = json.loads(payload)
    return found if isinstance(found, dict) else {}


# --- documents --------------------------------------------------------------------------------


class TermNames:
    """Names of terms for the `labels` and `lineage` fields, cached per term."""

    def __init__(self, terms: TermIndex) -> None:
        self.terms = terms
        self._own: dict[str, list[str]] = {}
        self._lineage: dict[str, list[str]] = {}
        self._lineage_text: dict[str, str] = {}

    def own(self, iri: str) -> list[str]:
        """Label, synonyms and curated everyday names of a term."""
        hit = self._own.get(iri)
        if hit is None:
            term = self.terms.terms.get(iri)
            hit = [term.label, *term.synonyms, *self.terms.aliases.get(iri, [])] if term else []
            self._own[iri] = hit
        return hit

    def lineage_text(self, iri: str) -> str:
        """The lineage names as one text (cached): one engine call per term, not per name."""
        hit = self._lineage_text.get(iri)
        if hit is None:
            hit = self._lineage_text[iri] = " ; ".join(self.lineage(iri))
        return hit

    def lineage(self, iri: str) -> list[str]:
        """Labels and first synonyms of the term's ancestors ("Mammalia", "mammals")."""
        hit = self._lineage.get(iri)
        if hit is None:
            hit = []
            for above in sorted(self.terms.ancestors(iri)):
                term = self.terms.terms.get(above)
                if term is not None:
                    hit += [term.label, *term.synonyms[:1]]
            self._lineage[iri] = hit
        return hit


def document(doc: Doc, ord_: int, names: TermNames) -> tantivy.Document:
    """The engine's document for a dataset, numbered `ord_` for the facet arrays."""
    out = tantivy.Document()
    out.add_unsigned("ord", ord_)
    out.add_text("iri", doc.iri)
    out.add_text("graph", doc.graph)
    out.add_text("title", doc.title)
    texts = doc.text.get("text", [])
    for facet in FLAT:
        if facet != "year":
            texts = texts + [VALUE_LABELS.get(v, v) for v in sorted(doc.values.get(facet, ()))]
    for text in texts:
        out.add_text("text", text)
    own: list[str] = []
    for facet in (*HIERARCHICAL, "license"):
        for value in sorted(doc.values.get(facet, ())):
            own += names.own(value)
            out.add_text("lineage", names.lineage_text(value))  # one string: far fewer calls
    for name in dict.fromkeys(own):
        out.add_text("labels", name)
    # "time-lapse" is also indexed as "timelapse", so that either spelling finds both
    joined = {w.replace("-", "") for t in (doc.title, *texts) for w in _HYPHENATED.findall(t)}
    if joined:
        out.add_text("text", " ".join(sorted(joined)))
    # ids whole, and the short texts (titles, keywords, names) unstemmed for completion and
    # typos; long descriptions stay out: the identifier tokenizer is the slow one
    local = doc.iri.rstrip("/").rsplit("/", 1)[-1]
    short = [t for t in texts if len(t) <= WHOLE_TEXT_MAX]
    out.add_text("whole", " \n".join([doc.title, local, *doc.text.get("ids", []), *short, *own]))
    for facet, values in doc.values.items():
        for value in sorted(values):
            out.add_text("facet", facet_token(facet, value))
    if doc.images:
        out.add_text("facet", IMAGES_MARK)
        out.add_bytes("images", images_payload(doc.images))
    out.add_text("title_key", f"{doc.title.casefold()[:200]}\x00{doc.iri}")
    out.add_text("date_key", f"{doc.date}\x00{doc.iri}")
    return out


# --- keyword queries --------------------------------------------------------------------------


@dataclass
class Part:
    """One piece of a keyword query: a word or a quoted phrase, maybe negated."""

    text: str
    phrase: bool = False
    negated: bool = False
    last: bool = False  # the word being typed: also completed as a prefix


def split_query(q: str) -> list[Part]:
    """Words and "quoted phrases" of `q`; a leading '-' excludes. The last bare word counts as
    still being typed unless `q` ends with a space."""
    parts: list[Part] = []
    for match in _QUERY_TOKEN.finditer(q):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if phrase is not None:
            parts.append(Part(phrase, phrase=True, negated=bool(negated)))
            continue
        negated_word = word.startswith("-") and len(word) > 1
        text = word[1:] if negated_word else word
        text = text.strip(_TRIM)
        if text:
            parts.append(Part(text, negated=negated_word))
    if parts and not parts[-1].phrase and not parts[-1].negated and not q[-1:].isspace():
        parts[-1].last = True
    return parts


def is_id_like(word: str) -> bool:
    """Identifiers and codes: letters and digits, maybe joined by : _ . - (GO:0009790)."""
    return bool(_ID_LIKE.match(word))


class QueryBuilder:
    """Turns a user's keyword text into one tantivy query (every part must match)."""

    def __init__(self, index_schema: tantivy.Schema) -> None:
        self.schema = index_schema
        self.analyzer = english()

    def build(self, parts: Iterable[Part]) -> Query | None:
        clauses: list[tuple[Occur, Query]] = []
        for part in parts:
            query = self._phrase(part.text) if part.phrase else self._word(part)
            if query is not None:
                clauses.append((Occur.MustNot if part.negated else Occur.Must, query))
        if not clauses:
            return None
        if all(occur == Occur.MustNot for occur, _ in clauses):
            clauses.append((Occur.Must, Query.all_query()))
        return Query.boolean_query(clauses)

    def _stems(self, text: str) -> list[tuple[int, str]]:
        return [(t.position, t.text) for t in self.analyzer.pre_tokenize(text).tokens]

    def _in_fields(self, stems: list[tuple[int, str]]) -> list[Query]:
        """The stems as a term (one) or a phrase (several) in every text field, boosted."""
        out = []
        for field, boost in FIELD_BOOSTS.items():
            if len(stems) == 1:
                query = Query.term_query(self.schema, field, stems[0][1])
            else:
                first = stems[0][0]
                query = Query.phrase_query(self.schema, field, [(p - first, t) for p, t in stems])
            out.append(Query.boost_query(query, boost))
        return out

    def _phrase(self, text: str) -> Query | None:
        stems = self._stems(text)
        if not stems:
            return None
        alternatives = self._in_fields(stems)
        if is_id_like(text.strip()):
            alternatives.append(self._whole(text.strip()))
        return _any(alternatives)

    def _whole(self, word: str) -> Query:
        return Query.boost_query(Query.term_query(self.schema, "whole", word.lower()), ID_BOOST)

    def _word(self, part: Part) -> Query | None:
        word = part.text
        stems = self._stems(word)
        alternatives = self._in_fields(stems) if stems else []
        if is_id_like(word):
            alternatives.append(self._whole(word))
        elif len(stems) == 1 and not part.negated:
            alternatives += self._typos(word, stems[0][1])
        elif _HYPHENATED.fullmatch(word):  # time-lapse also finds timelapse
            joined = self._stems(word.replace("-", ""))
            if len(joined) == 1:
                alternatives += self._in_fields(joined)
        if part.last and len(word) >= PREFIX_MIN:
            prefix = Query.fuzzy_term_query(
                self.schema, "whole", word.lower(), distance=0, prefix=True
            )
            alternatives.append(Query.boost_query(prefix, PREFIX_BOOST))
        return _any(alternatives) if alternatives else None

    def _typos(self, word: str, stem: str) -> list[Query]:
        letters = sum(c.isalpha() for c in word)
        if letters < ONE_TYPO:
            return []
        distance = 2 if letters >= TWO_TYPOS else 1
        # on the stems, and on the unstemmed words: a misspelt word may stem differently
        # ("fluorescense" -> "fluorescens", but "fluorescence" -> "fluoresc")
        # each scores a constant: FUZZY_BOOST times the field's weight, title first
        found = [(field, stem, FIELD_BOOSTS[field]) for field in FUZZY_FIELDS]
        found.append(("whole", word.lower(), 1.0))
        return [
            Query.boost_query(
                Query.fuzzy_term_query(self.schema, field, text, distance=distance),
                FUZZY_BOOST * weight,
            )
            for field, text, weight in found
        ]


def _any(alternatives: list[Query]) -> Query:
    if len(alternatives) == 1:
        return alternatives[0]
    return Query.boolean_query([(Occur.Should, q) for q in alternatives])
