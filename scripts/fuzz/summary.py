"""Prints the API fuzz summary line and exits non-zero when the run found anything.

Requests and server errors are counted from the backend's own request log, so they include
every request the fuzzer sent; stack traces and unnamed 4xx come from the checks in checks.py.

Usage: summary.py BACKEND_LOG TALLY_JSON...
"""

from __future__ import annotations

import json
import sys

API_PREFIX = "/api/drift"


def requests_in(log_path: str) -> list[dict]:
    found = []
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if '"incomingRequest"' not in line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("type") == "incomingRequest" and str(entry.get("url", "")).startswith(API_PREFIX):
                found.append(entry)
    return found


def main(log_path: str, tally_paths: list[str]) -> int:
    requests = requests_in(log_path)
    server_errors = [r for r in requests if int(r.get("status", 0)) >= 500]
    failed: dict[str, set[str]] = {"no_stack_trace": set(), "error_names_parameter": set()}
    for path in tally_paths:
        try:
            with open(path, encoding="utf-8") as tally:
                counted = json.load(tally)
        except (OSError, ValueError) as error:
            print(f"api fuzz: no check results in {path} ({error})", file=sys.stderr)
            return 1
        for check, cases in counted.items():
            failed.setdefault(check, set()).update(cases)
    print(
        f"api fuzz: {len(requests)} requests, {len(server_errors)} server errors, "
        f"{len(failed['no_stack_trace'])} stack traces, {len(failed['error_names_parameter'])} unnamed 4xx"
    )
    for entry in server_errors[:10]:
        print(f"  {entry.get('status')} {entry.get('method')} {entry.get('url')}")
    if not requests:
        print("api fuzz: the backend logged no requests to the drift API", file=sys.stderr)
        return 1
    return 1 if server_errors or any(failed.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
