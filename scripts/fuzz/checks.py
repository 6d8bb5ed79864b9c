"""Schemathesis checks for the drift API, loaded by scripts/fuzz.sh through SCHEMATHESIS_HOOKS.

no_stack_trace: no response shows how the server is built (stack frames, source paths).
error_names_parameter: every 400 says which parameter or body field was wrong.

Each check counts the responses it failed and, when the run ends, writes the counts to
$DRIFT_FUZZ_TALLY (JSON) for the summary line.
"""

from __future__ import annotations

import json
import os
import re
import threading
from urllib.parse import quote

import schemathesis

# What a leaked stack or build detail looks like in a response body.
LEAKS = [
    ("a stack frame", re.compile(r"^\s+at \S.*$", re.MULTILINE)),
    ("a stack frame", re.compile(r"\bat \S+ \((?:file:|/|[A-Za-z]:\\)[^)]*:\d+:\d+\)")),
    ("an error stack", re.compile(r"\b[A-Z]\w*(?:Error|Exception): .*\n\s+at ")),
    ("a stack property", re.compile(r'"stack"\s*:')),
    ("a dependency path", re.compile(r"node_modules")),
    ("a source file path", re.compile(r"(?:^|[\s\"'(=])(?:/[\w.@-]+)+/[\w.@-]+\.(?:[cm]?[jt]sx?|json|ya?ml)\b")),
    ("a Windows path", re.compile(r"\b[A-Za-z]:\\[\w\\.-]+")),
]

_lock = threading.Lock()
_tally: dict[str, set[str]] = {"no_stack_trace": set(), "error_names_parameter": set()}


def _record(check: str, case: schemathesis.Case, response: schemathesis.Response) -> None:
    with _lock:
        _tally[check].add(f"{case.operation.label} {case.id} {response.status_code}")


def _leaves(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    elif value is not None:
        yield str(value)


def _request_values(case: schemathesis.Case) -> list[str]:
    """What the fuzzer sent: echoing it back (e.g. "No finding with id '...'") is not a leak."""
    values = set()
    for part in (case.path_parameters, case.query, case.body):
        for leaf in _leaves(part) if part is not None else ():
            if leaf:
                values.update({leaf, quote(leaf, safe=""), quote(leaf), json.dumps(leaf)[1:-1]})
    return sorted(values, key=len, reverse=True)


@schemathesis.check
def no_stack_trace(ctx, response, case):
    """Fails when a response body carries a stack trace, a source path or node_modules."""
    text = response.content.decode("utf-8", errors="replace")
    for value in _request_values(case):
        text = text.replace(value, "")
    for what, pattern in LEAKS:
        match = pattern.search(text)
        if match:
            _record("no_stack_trace", case, response)
            raise AssertionError(f"Response shows {what}: {match.group(0).strip()[:200]!r}")
    return None


def _sent_names(case: schemathesis.Case) -> set[str]:
    names = set()
    for sent in (case.query, case.path_parameters, case.body):
        if isinstance(sent, dict):
            # The server's query parser reads `a[b]` as `a`.
            names.update(name for key in sent for name in (str(key), str(key).split("[")[0]))
    return names


def _parameter_names(case: schemathesis.Case) -> set[str]:
    """What a 400 may name: the operation's parameters and body fields, and whatever the request
    sent (an unknown query parameter is named by its own name)."""
    names = {parameter.name for parameter in case.operation.iter_parameters()}
    for body in case.operation.body:
        schema = body.optimized_schema
        if isinstance(schema, dict):
            names.update(schema.get("properties", {}).keys())
    names |= _sent_names(case)
    names.add("body")
    content_type = str(case.headers.get("Content-Type", "")) if case.headers else ""
    if case.operation.body and not content_type.startswith("application/json"):
        # A body in the wrong (or no) media type is named by its media type.
        names.add("media type")
    return names


def _mentions(message: str, name: str) -> bool:
    if not name:
        return "''" in message or '""' in message
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", message) is not None


@schemathesis.check
def error_names_parameter(ctx, response, case):
    """Fails when a 400 does not name the parameter (or body field) it rejects."""
    if response.status_code != 400:
        return None
    try:
        message = str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        _record("error_names_parameter", case, response)
        raise AssertionError("400 without a JSON error message")
    data = case.meta.phase.data if case.meta else None
    location = getattr(getattr(data, "parameter_location", None), "value", None)
    parameter = getattr(data, "parameter", None)
    if parameter and location != "body":
        # The fuzzer knows which parameter it broke: the message must name that one, or another
        # one the request sent (a request can be wrong on two counts; the server names one).
        expected = {parameter} | _sent_names(case)
        if parameter.lower() == "content-type":
            expected.add("media type")
    else:
        expected = _parameter_names(case)
    if not any(_mentions(message, name) for name in expected):
        _record("error_names_parameter", case, response)
        raise AssertionError(
            f"400 does not name the parameter; expected one of {sorted(expected)}, got {message!r}"
        )
    return None


@schemathesis.check
class FuzzTally:
    """Writes what the checks above counted, for scripts/fuzz.sh to report."""

    def after_run(self, ctx):
        path = os.environ.get("DRIFT_FUZZ_TALLY")
        if path:
            with _lock, open(path, "w", encoding="utf-8") as out:
                json.dump({name: sorted(found) for name, found in _tally.items()}, out, indent=2)
