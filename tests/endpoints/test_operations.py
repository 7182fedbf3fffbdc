"""Every operation of Teamleader's OpenAPI description, called through its generated method."""

from __future__ import annotations

import json

import pytest

from teamleader.models import Model, Page

from .conftest import API
from .spec_values import (
    argument_name,
    operations,
    request_body,
    request_schema,
    required_fields,
    resolve,
    validation_errors,
)

OPERATIONS = operations()


def test_the_spec_has_the_operations_the_issue_names():
    assert len(OPERATIONS) == 290


@pytest.mark.parametrize("path", OPERATIONS)
def test_one_post_whose_body_validates_against_the_spec(api, path):
    client, rsps = api
    body = request_body(path)
    result = resolve(client, path)(**{argument_name(key): value for key, value in body.items()})

    assert len(rsps.calls) == 1
    request = rsps.calls[0].request
    assert request.method == "POST"
    assert request.url == API + path
    sent = json.loads(request.body)
    assert sent == body
    schema = request_schema(path)
    if schema is not None:
        assert validation_errors(schema, sent) == []
    assert result is None or isinstance(result, (Model, Page))


@pytest.mark.parametrize("path", [p for p in OPERATIONS if required_fields(request_schema(p))])
def test_a_missing_required_argument_fails_before_any_request(api, path):
    client, rsps = api
    method = resolve(client, path)
    body = request_body(path)
    for key in required_fields(request_schema(path)):
        arguments = {argument_name(k): v for k, v in body.items() if k != key}
        with pytest.raises(TypeError, match=argument_name(key)):
            method(**arguments)
    assert len(rsps.calls) == 0
