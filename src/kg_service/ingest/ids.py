"""Stable record identifiers derived from source identifiers, never from row order.

Identifiers are paths relative to the service base IRI (`projects/ssbd-2`,
`datasets/ssbd-2-wt_N2_030303_01`, `datasets/ssbd-2-wt_N2_030303_01/biosample`), so reloading
the same input always yields the same graph and the base IRI can change per deployment.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")


def slug(text: str) -> str:
    """Make `text` safe as one IRI path segment, keeping it readable.

    >>> slug("Fig 1-A.tif")
    'Fig_1-A.tif'
    """
    return _UNSAFE.sub("_", text.strip()).strip("_") or "_"


def ssbd_project_key(project_name: str) -> str:
    """Key for an SSBD project: its number when the name starts with one ("2-Kyoda-..." -> ssbd-2).

    >>> ssbd_project_key("20-Azuma-WormMembrane")
    'ssbd-20'
    >>> ssbd_project_key("ssbd-repos-000123")
    'ssbd-repos-000123'
    """
    match = re.match(r"^\s*(\d+)-", project_name)
    if match:
        return f"ssbd-{int(match.group(1))}"
    return slug(project_name)


def project_id(key: str) -> str:
    return f"projects/{key}"


def dataset_id(project_key: str, local: str) -> str:
    return f"datasets/{project_key}-{slug(local)}"


def part_id(parent_id: str, kind: str, index: int | None = None) -> str:
    """Id of a node owned by a record, e.g. the biosample of a dataset."""
    return f"{parent_id}/{kind}" if index is None else f"{parent_id}/{kind}/{index}"


def key_of(record_id: str) -> str:
    """The last path segment of a top-level record id (`projects/ssbd-2` -> `ssbd-2`)."""
    return record_id.split("/", 1)[1] if "/" in record_id else record_id
