"""Data links that keep working: visit every URL records point to, keep the verdicts.

`kg-service links check` runs `check_store`: HEAD each data-file, OME-Zarr, viewer and OMERO
URL (falling back to a one-byte ranged GET where HEAD is refused), with bounded
concurrency, timeouts, retries with exponential backoff and an identifying User-Agent.
Verdicts go to their own named graph, LINK_GRAPH, keyed by the checked URL:

    <url> kg:linkOk true ; kg:linkStatus 200 ; kg:linkMediaType "..." ; kg:linkSize 123 ;
          kg:linkCheckedAt "..."^^xsd:dateTime ; kg:linkFinalUrl <...> ; kg:linkError "..." .

Landing pages and the report read them back; a new run replaces the graph.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import XSD

from kg_service import __version__
from kg_service.store.base import Store, Triple

LINK_GRAPH = "urn:kg-service:link-checks"
KG = Namespace("https://w3id.org/bioimage-kg/vocab/")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
HEAD_REFUSED = frozenset({400, 403, 405, 501})
_URLS = """
PREFIX kg: <https://w3id.org/bioimage-kg/vocab/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX schema: <http://schema.org/>
SELECT DISTINCT ?url WHERE {
  { ?file dcat:downloadURL ?url } UNION { ?image kg:omeZarr ?url }
  UNION { ?image kg:viewer ?url } UNION { ?image schema:thumbnailUrl ?url }
  FILTER(isIRI(?url) && REGEX(STR(?url), "^https?://"))
}
ORDER BY ?url
"""
_STATUS = """
PREFIX kg: <https://w3id.org/bioimage-kg/vocab/>
SELECT ?url ?ok ?status ?type ?size ?checked ?final ?error WHERE {
  GRAPH <urn:kg-service:link-checks> {
    ?url kg:linkOk ?ok ; kg:linkCheckedAt ?checked .
    OPTIONAL { ?url kg:linkStatus ?status } OPTIONAL { ?url kg:linkMediaType ?type }
    OPTIONAL { ?url kg:linkSize ?size } OPTIONAL { ?url kg:linkFinalUrl ?final }
    OPTIONAL { ?url kg:linkError ?error }
  }
}
"""
_BROKEN = """
PREFIX kg: <https://w3id.org/bioimage-kg/vocab/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX schema: <http://schema.org/>
SELECT ?url ?status ?error ?checked ?record WHERE {
  GRAPH <urn:kg-service:link-checks> {
    ?url kg:linkOk false ; kg:linkCheckedAt ?checked .
    OPTIONAL { ?url kg:linkStatus ?status } OPTIONAL { ?url kg:linkError ?error }
  }
  OPTIONAL {
    ?record (dcat:distribution/dcat:downloadURL)
            |(kg:imageData/(kg:omeZarr|kg:viewer|schema:thumbnailUrl)) ?url
  }
}
ORDER BY ?url ?record
"""


@dataclass(frozen=True)
class LinkCheck:
    """The verdict on one URL."""

    url: str
    ok: bool
    status: int | None
    media_type: str | None
    size: int | None
    final_url: str | None
    error: str | None
    checked_at: str


@dataclass(frozen=True)
class CheckPolicy:
    """How politely and how hard to try."""

    concurrency: int = 4
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    user_agent: str = f"kg-service-linkcheck/{__version__} (metadata link checker)"


def _size(response: requests.Response) -> int | None:
    content_range = response.headers.get("Content-Range", "")
    if "/" in content_range and content_range.rsplit("/", 1)[1].isdigit():
        return int(content_range.rsplit("/", 1)[1])
    length = response.headers.get("Content-Length")
    if response.status_code != 206 and length and length.isdigit():
        return int(length)
    return None


def _attempt(session: requests.Session, url: str, timeout: float) -> requests.Response:
    """HEAD, or a one-byte ranged GET when the server will not answer HEAD properly."""
    response = session.head(url, allow_redirects=True, timeout=timeout)
    if response.status_code in HEAD_REFUSED:
        response.close()
        response = session.get(
            url, headers={"Range": "bytes=0-0"}, allow_redirects=True, timeout=timeout, stream=True
        )
        response.close()
    return response


def check_url(
    session: requests.Session,
    url: str,
    policy: CheckPolicy,
    sleep: Callable[[float], None] = time.sleep,
) -> LinkCheck:
    """Check one URL, retrying transient failures (connection errors, 429, 5xx)."""
    error: str | None = None
    response: requests.Response | None = None
    for attempt in range(policy.retries + 1):
        if attempt:
            sleep(policy.backoff * 2 ** (attempt - 1))
        try:
            response = _attempt(session, url, policy.timeout)
            error = None
            if response.status_code not in RETRY_STATUSES:
                break
        except requests.RequestException as failure:
            response, error = None, f"{type(failure).__name__}: {failure}"[:300]
    checked = datetime.now(UTC).replace(microsecond=0).isoformat()
    if response is None:
        return LinkCheck(url, False, None, None, None, None, error, checked)
    media = response.headers.get("Content-Type")
    return LinkCheck(
        url=url,
        ok=200 <= response.status_code < 300,
        status=response.status_code,
        media_type=media.split(";")[0].strip() if media else None,
        size=_size(response),
        final_url=response.url if response.url != url else None,
        error=None if response.ok else response.reason,
        checked_at=checked,
    )


def check_urls(urls: Iterable[str], policy: CheckPolicy | None = None) -> list[LinkCheck]:
    """Check many URLs, at most `policy.concurrency` at a time, in input order."""
    policy = policy or CheckPolicy()
    session = requests.Session()
    session.headers["User-Agent"] = policy.user_agent
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=policy.concurrency)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    with session, ThreadPoolExecutor(max_workers=policy.concurrency) as pool:
        return list(pool.map(lambda url: check_url(session, url, policy), urls))


def record_urls(store: Store) -> list[str]:
    """Every http(s) URL a record points to (files, OME-Zarr, viewers, OMERO)."""
    return [str(row["url"]) for row in store.select(_URLS)]


def to_triples(results: Iterable[LinkCheck]) -> list[Triple]:
    triples: list[Triple] = []
    for result in results:
        node = URIRef(result.url)
        triples.append((node, KG.linkOk, Literal(result.ok)))
        triples.append((node, KG.linkCheckedAt, Literal(result.checked_at, datatype=XSD.dateTime)))
        if result.status is not None:
            triples.append((node, KG.linkStatus, Literal(result.status)))
        if result.media_type:
            triples.append((node, KG.linkMediaType, Literal(result.media_type)))
        if result.size is not None:
            triples.append((node, KG.linkSize, Literal(result.size)))
        if result.final_url:
            triples.append((node, KG.linkFinalUrl, URIRef(result.final_url)))
        if result.error:
            triples.append((node, KG.linkError, Literal(result.error)))
    return triples


def check_store(store: Store, policy: CheckPolicy | None = None) -> list[LinkCheck]:
    """Check every URL in the store and replace the stored verdicts with the new ones."""
    results = check_urls(record_urls(store), policy)
    store.replace_graph(LINK_GRAPH, to_triples(results))
    return results


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "ok": bool(row["ok"].toPython()),
        "status": int(row["status"]) if "status" in row else None,
        "media_type": str(row["type"]) if "type" in row else None,
        "size": int(row["size"]) if "size" in row else None,
        "checked": str(row["checked"]),
        "final_url": str(row["final"]) if "final" in row else None,
        "error": str(row["error"]) if "error" in row else None,
    }


def statuses(store: Store, urls: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Stored verdicts for the given URLs (URLs never checked are absent)."""
    found: dict[str, dict[str, Any]] = {}
    for url in dict.fromkeys(urls):
        for row in store.select(_STATUS, {"url": URIRef(url)}):
            found[url] = _row(row)
    return found


def broken_report(store: Store) -> list[dict[str, Any]]:
    """Broken links with the records that point to them."""
    report: dict[str, dict[str, Any]] = {}
    for row in store.select(_BROKEN):
        url = str(row["url"])
        entry = report.setdefault(
            url,
            {
                "url": url,
                "status": int(str(row["status"])) if "status" in row else None,
                "error": str(row["error"]) if "error" in row else None,
                "checked": str(row["checked"]),
                "records": [],
            },
        )
        if "record" in row and str(row["record"]) not in entry["records"]:
            entry["records"].append(str(row["record"]))
    return list(report.values())


def summary(results: list[LinkCheck]) -> dict[str, Any]:
    broken = [asdict(r) for r in results if not r.ok]
    return {"checked": len(results), "ok": len(results) - len(broken), "broken": broken}
