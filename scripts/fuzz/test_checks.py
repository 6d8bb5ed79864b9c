"""Unit tests for checks.py, run by scripts/fuzz.sh before it fuzzes: a check that cannot fail
would report a clean API whatever the API does."""

from __future__ import annotations

import json
import os
import sys
import unittest
from types import SimpleNamespace

import schemathesis  # noqa: F401  (checks.py registers its checks on import)

sys.path.insert(0, os.path.dirname(__file__))
import checks  # noqa: E402


def response(status: int, body) -> SimpleNamespace:
    content = (body if isinstance(body, str) else json.dumps(body)).encode()
    return SimpleNamespace(status_code=status, content=content, json=lambda: json.loads(content))


def operation(query=(), body_fields=()) -> SimpleNamespace:
    parameters = [SimpleNamespace(name=name) for name in query]
    bodies = [SimpleNamespace(optimized_schema={"properties": {f: {} for f in body_fields}})] if body_fields else []
    return SimpleNamespace(label="GET /x", iter_parameters=lambda: iter(parameters), body=bodies)


def case(query=None, body=None, parameter=None, location=None, headers=None, op=None) -> SimpleNamespace:
    data = SimpleNamespace(parameter=parameter, parameter_location=SimpleNamespace(value=location) if location else None)
    return SimpleNamespace(
        id="case",
        operation=op or operation(query=list(query or {})),
        path_parameters={},
        query=query or {},
        body=body,
        headers=headers or {},
        meta=SimpleNamespace(phase=SimpleNamespace(data=data)),
    )


def error(message: str) -> dict:
    return {"error": {"name": "InputError", "message": message}, "response": {"statusCode": 400}}


class NoStackTraceTest(unittest.TestCase):
    def assertLeaks(self, body):
        with self.assertRaises(AssertionError):
            checks.no_stack_trace(None, response(500, body), case())

    def test_fails_on_what_a_development_backend_sends(self):
        self.assertLeaks(
            {"error": {"name": "TypeError", "message": "x is undefined",
                       "stack": "TypeError: x is undefined\n    at handler (/app/src/router.ts:12:5)"}}
        )
        self.assertLeaks("TypeError: x\n    at Object.<anonymous> (node:internal/x:1:1)")
        self.assertLeaks({"error": {"message": "Cannot find module '/app/node_modules/knex/lib/x'"}})
        self.assertLeaks({"error": {"message": "ENOENT: no such file, open '/srv/backstage/app-config.yaml'"}})

    def test_passes_plain_errors_and_echoed_input(self):
        checks.no_stack_trace(None, response(404, error("No finding with id 'abc'")), case())
        checks.no_stack_trace(None, response(200, {"items": [], "entityRef": "component:default/a/b"}), case())
        echoed = case(query={"id": "/etc/node_modules/x.js"})
        checks.no_stack_trace(None, response(404, error("No finding with id '/etc/node_modules/x.js'")), echoed)


class ErrorNamesParameterTest(unittest.TestCase):
    def test_fails_when_no_parameter_is_named(self):
        with self.assertRaises(AssertionError):
            checks.error_names_parameter(None, response(400, error("Unexpected token 'A'")), case(query={"limit": "x"}))
        with self.assertRaises(AssertionError):
            checks.error_names_parameter(None, response(400, "Bad Request"), case())

    def test_wants_the_broken_parameter_when_the_fuzzer_knows_it(self):
        broken = case(query={"limit": "0"}, parameter="limit", location="query",
                      op=operation(query=["limit", "cursor"]))
        checks.error_names_parameter(None, response(400, error("request/query/limit must be >= 1")), broken)
        with self.assertRaises(AssertionError):
            checks.error_names_parameter(None, response(400, error("request/query/cursor is invalid")), broken)

    def test_accepts_body_fields_and_unknown_parameters(self):
        body = case(body={"until": "x"}, op=operation(body_fields=["until", "reason"]))
        body.headers = {"Content-Type": "application/json"}
        checks.error_names_parameter(None, response(400, error("request/body must have required property 'reason'")), body)
        checks.error_names_parameter(None, response(400, error("Invalid request body: Unexpected end")), body)
        unknown = case(query={"colour": "red"})
        checks.error_names_parameter(None, response(400, error("Unknown query parameter 'colour'")), unknown)

    def test_ignores_other_statuses(self):
        checks.error_names_parameter(None, response(404, error("No finding with id 'x'")), case())


if __name__ == "__main__":
    unittest.main()
