"""The API fuzzed from its own OpenAPI schema (/api/schema/) with schemathesis: no request
that the schema allows (random ids, filters, bodies, uploads) gets a 5xx. Few examples per
operation to stay fast; a tester's token with one scanned app so that lists are not empty."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from mobsec.platform.accounts.auth import new_token
from mobsec.platform.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def token(world, ingest) -> Iterator[str]:
    ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    # The WSGI app closes the database connection after each request; inside the test's
    # transaction it must stay open (Django's test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield new_token(world.user("tester"))[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_no_server_error(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"},
                           checks=[not_a_server_error])  # fmt: skip
