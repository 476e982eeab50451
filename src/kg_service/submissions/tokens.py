"""Bearer tokens for submissions, stored only as SHA-256 hashes in a JSON file next to the store.

Why a file and not a named graph: everything in the store is readable through the public
SPARQL endpoint (the default graph is the union), and token metadata (scopes, notes) is not
public. The file is `Settings.tokens_path`, by default `tokens.json` beside the store folder.
Tokens are 32 random bytes, so a plain SHA-256 is enough (no salt or slow hash needed: there
is nothing to brute-force). A token may only write the projects in its scope.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

PREFIX = "kgt_"


class TokenError(ValueError):
    """A token operation that cannot be done (unknown id, empty scope)."""


@dataclass
class Token:
    """What is kept about a token: never the secret itself."""

    id: str
    hash: str
    projects: list[str]
    note: str = ""
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    revoked: str | None = None

    def allows(self, project_key: str) -> bool:
        return self.revoked is None and project_key in self.projects

    def public(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("hash")
        return data


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_scope(project: str) -> str:
    """Accept `projects/x`, a project IRI or the bare key `x`; keep the key."""
    return project.rstrip("/").rsplit("/", 1)[-1]


class TokenStore:
    """The token file: read on each lookup (tokens change from the CLI while serving)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _read(self) -> list[Token]:
        if not self.path.is_file():
            return []
        rows = json.loads(self.path.read_text(encoding="utf-8"))
        return [Token(**row) for row in rows]

    def _write(self, tokens: list[Token]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps([asdict(t) for t in tokens], indent=2), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(self.path)

    def create(self, projects: list[str], note: str = "") -> tuple[Token, str]:
        """A new token for `projects`; returns it and the secret (shown once, never stored)."""
        scope = sorted({normalise_scope(p) for p in projects if p.strip()})
        if not scope:
            raise TokenError("a token needs at least one project in its scope (--project)")
        secret = PREFIX + secrets.token_urlsafe(32)
        token = Token(id=secrets.token_hex(4), hash=hash_secret(secret), projects=scope, note=note)
        with self._lock:
            self._write([*self._read(), token])
        return token, secret

    def revoke(self, token_id: str) -> Token:
        with self._lock:
            tokens = self._read()
            for token in tokens:
                if token.id == token_id:
                    token.revoked = token.revoked or datetime.now(UTC).isoformat()
                    self._write(tokens)
                    return token
        raise TokenError(f"no token with id {token_id}")

    def list(self) -> list[Token]:
        return self._read()

    def authenticate(self, secret: str) -> Token | None:
        """The live token whose hash matches `secret`, or None."""
        digest = hash_secret(secret)
        for token in self._read():
            if secrets.compare_digest(token.hash, digest) and token.revoked is None:
                return token
        return None


def default_tokens_path(store_path: Path | None, tokens_path: Path | None) -> Path | None:
    if tokens_path is not None:
        return tokens_path
    return store_path.parent / "tokens.json" if store_path is not None else None
