"""Regenerate every artifact derived from the LinkML schema.

The schema (ontology/kg_model.yaml) is the single source of truth; OWL, SHACL, the JSON-LD
context and the Python classes are written from it here, and `check()` tells whether the
files on disk still match (CI fails on drift). Needs the `linkml` dev dependency.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from kg_service.paths import knowledge_dir, repo_root, schema_path


def _owl(schema: str) -> str:
    from linkml.generators.owlgen import OwlSchemaGenerator

    return str(
        OwlSchemaGenerator(
            schema,
            metadata=False,
            skip_vacuous_min_zero_cardinality_axioms=True,
            skip_vacuous_local_range_axioms=True,
            consolidate_cardinality_axioms=True,
        ).serialize()
    )


def _shacl(schema: str) -> str:
    from linkml.generators.shaclgen import ShaclGenerator

    return str(ShaclGenerator(schema, closed=False, suffix="Shape", metadata=False).serialize())


def _context(schema: str) -> str:
    from linkml.generators.jsonldcontextgen import ContextGenerator

    return str(ContextGenerator(schema, metadata=False).serialize())


def _python(schema: str) -> str:
    from linkml.generators.pythongen import PythonGenerator

    return str(PythonGenerator(schema, metadata=False).serialize())


def targets() -> dict[Path, Callable[[str], str]]:
    """Each generated file and the generator that writes it."""
    return {
        knowledge_dir("ontology") / "kg_model.owl.ttl": _owl,
        knowledge_dir("shapes") / "kg_model.shacl.ttl": _shacl,
        knowledge_dir("ontology") / "kg_model.context.jsonld": _context,
        repo_root() / "src" / "kg_service" / "model.py": _python,
    }


def render_all() -> dict[Path, str]:
    schema = str(schema_path())
    return {path: make(schema) for path, make in targets().items()}


def write_all() -> list[Path]:
    written = []
    for path, text in render_all().items():
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_files() -> list[Path]:
    """Generated files whose content differs from what the schema produces now."""
    return [
        path
        for path, text in render_all().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "--check":
        stale = stale_files()
        for path in stale:
            print(f"out of date: {path} (run `make generate`)")
        return 1 if stale else 0
    for path in write_all():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
