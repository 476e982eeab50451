"""Fuzz the HTTP API from its own OpenAPI description: no 5xx, responses match the schema.

Bounded (a fixed number of examples per operation) so the suite stays fast. Write endpoints
get no valid token, so the store never changes. Schemathesis drives the ASGI app in process
through its Python API (its pytest plugin does not support this pytest version).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.pipeline import submit
from kg_service.store import OxigraphStore
from tests.conftest import BASE, EXAMPLE_SSBD

EXAMPLES_PER_OPERATION = 12


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("fuzz")
    store = OxigraphStore(folder / "store")
    submit([EXAMPLE_SSBD], store, BASE)
    app = create_app(Settings(store_path=None, base_iri=BASE), store=store)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_api_never_fails_with_a_server_error(api_schema: Any) -> None:
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            try:
                case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
            except AssertionError as error:  # schemathesis' failure group: collect, report all
                failures.append(f"{case.method} {case.formatted_path}: {error}"[:600])

        run()
    assert failures == [], "\n".join(failures[:20])
