"""Where the knowledge folders (ontology/, shapes/, loaders/, queries/, examples/) live.

They sit at the top of the repository so curators edit plain files; an installed wheel carries
copies inside the package. Code asks this module rather than guessing relative paths.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent


def knowledge_dir(name: str) -> Path:
    """Return the folder `name` (e.g. "ontology") from the checkout, else from the package."""
    in_repo = _REPO_ROOT / name
    if in_repo.is_dir():
        return in_repo
    return _PACKAGE_DIR / "_knowledge" / name


def schema_path() -> Path:
    return knowledge_dir("ontology") / "kg_model.yaml"


def repo_root() -> Path:
    return _REPO_ROOT
