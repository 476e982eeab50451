"""`kg-service` subcommands for ontology terms.

`terms build|update|load`, `index rebuild` and `ontology check`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kg_service.terms.index import ONTOLOGIES, terms_dir


def cmd_terms_build(args: argparse.Namespace) -> int:
    from kg_service.terms.build import build_all

    print(build_all(Path(args.source), Path(args.out or terms_dir())))
    return 0


def cmd_terms_update(args: argparse.Namespace) -> int:
    from kg_service.terms.ops import RELEASES, update_terms

    names = args.only or sorted(RELEASES)
    urls = dict(RELEASES)
    if args.url_template:
        urls = {n: args.url_template.format(file=RELEASES[n].rsplit("/", 1)[1]) for n in names}
    try:
        counts = update_terms(Path(args.out or terms_dir()), names, urls)
    except OSError as error:  # requests' errors derive from OSError
        print(f"download failed: {error}", file=sys.stderr)
        return 1
    print(counts)
    return 0


def cmd_terms_load(args: argparse.Namespace, open_store: object) -> int:
    from kg_service.terms.index import shipped_term_index
    from kg_service.terms.ops import load_term_graphs

    store = open_store(args)  # type: ignore[operator]
    try:
        print(load_term_graphs(store, shipped_term_index(), args.only or ONTOLOGIES))
    finally:
        store.close()
    return 0


def cmd_index_rebuild(args: argparse.Namespace, open_store: object) -> int:
    """Rebuild the on-disk search index from the store (the server must be stopped: it is
    the index's one writer, and the embedded store's)."""
    from kg_service.config import Settings
    from kg_service.search import IndexBusy, Query, SearchIndex
    from kg_service.search.lifecycle import index_path, store_identity
    from kg_service.terms.index import shipped_term_index

    names = ("store_path", "base_iri", "search_index_path")
    overrides = {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}
    settings = Settings(**overrides)
    path = index_path(settings)
    store = open_store(args)  # type: ignore[operator]
    try:
        start = time.perf_counter()
        source = store_identity(settings)
        index = SearchIndex(shipped_term_index(), settings.base_iri, path, source)
        try:
            index.build(store)
        except IndexBusy as error:
            print(f"cannot rebuild: {error} (stop the server first)", file=sys.stderr)
            return 1
        total = index.search(Query(size=1, facets=[]))["total"]
        index.close()
        where = path if path is not None else "memory"
        print(f"indexed {total} datasets in {time.perf_counter() - start:.2f} s into {where}")
    finally:
        store.close()
    return 0


def cmd_ontology_check(args: argparse.Namespace) -> int:
    from kg_service.terms.index import TermIndex
    from kg_service.terms.ontology_check import check, default_files, term_subset

    files = [Path(p) for p in args.files] or default_files()
    subset = term_subset(TermIndex.load(args.terms), args.terms) if args.terms else None
    result = check(files, subset)
    for iri in result.unsatisfiable:
        print(f"unsatisfiable: {iri}")
    if result.inconsistent:
        print(f"inconsistent: {result.inconsistent}")
    print("ok" if result.ok else "FAILED", f"({len(files)} file(s))")
    return 0 if result.ok else 1


def add_parsers(sub: argparse._SubParsersAction, common: object, open_store: object) -> None:  # type: ignore[type-arg]
    """Register the subcommands; `common(p, store=True)` adds --store/--base-iri."""
    terms = sub.add_parser("terms", help="ontology term files and term graphs")
    tsub = terms.add_subparsers(dest="terms_command", required=True)
    build = tsub.add_parser("build", help="rebuild ontology/terms from upstream files")
    build.add_argument("--source", default="../shared/data/ontologies")
    build.add_argument("--out")
    build.set_defaults(func=cmd_terms_build)
    update = tsub.add_parser("update", help="download current OBO releases and rebuild")
    update.add_argument("--only", nargs="*", choices=["go", "ncbitaxon", "fbbi", "ro"])
    update.add_argument("--out")
    update.add_argument("--url-template", help="e.g. http://mirror/{file} instead of the PURLs")
    update.set_defaults(func=cmd_terms_update)
    load = tsub.add_parser("load", help="store labels and hierarchy as term graphs")
    load.add_argument("--only", nargs="*", choices=ONTOLOGIES)
    common(load, store=True)  # type: ignore[operator]
    load.set_defaults(func=lambda a: cmd_terms_load(a, open_store))

    index = sub.add_parser("index", help="the search index")
    isub = index.add_subparsers(dest="index_command", required=True)
    rebuild = isub.add_parser("rebuild", help="rebuild the search index from the store")
    common(rebuild, store=True)  # type: ignore[operator]
    rebuild.add_argument(
        "--index", dest="search_index_path", type=Path, help="index folder (KG_SEARCH_INDEX_PATH)"
    )
    rebuild.set_defaults(func=lambda a: cmd_index_rebuild(a, open_store))

    onto = sub.add_parser("ontology", help="ontology checks")
    osub = onto.add_subparsers(dest="ontology_command", required=True)
    chk = osub.add_parser("check", help="classify our OWL + alignments + term subsets (HermiT)")
    chk.add_argument("files", nargs="*")
    chk.add_argument("--terms", nargs="*", default=["fbbi"], choices=ONTOLOGIES)
    chk.set_defaults(func=cmd_ontology_check)
