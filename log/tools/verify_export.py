#!/usr/bin/env python3
"""Verify an export of a changegate decision log, independently of changegate.

Usage: verify_export.py FILE   (`-` reads standard input)

Reads the JSON lines of `changegate log export` and checks, from the first
line on, that the sequence numbers are contiguous, that each record's `prev`
is the hash of the record before it, and that each record's hash is the
SHA-256 of its canonical encoding (docs/log.md, "The record's hash"). Only
the Python standard library is used, so an auditor can read all of it.

Exit codes: 0 the chain is unbroken, 1 a record breaks it (named on stdout),
2 the file cannot be read.
"""

import hashlib
import json
import sys

DOMAIN = b"changegate-log/1"
TEXT_FIELDS = ("change", "decision", "outcome", "policy_digest", "graph_digest", "engine")


def field(data: bytes) -> bytes:
    """A field: its length as 8 bytes big-endian, then its bytes."""
    return len(data).to_bytes(8, "big") + data


def encode(record: dict) -> bytes:
    out = field(DOMAIN)
    out += field(str(record["seq"]).encode())
    out += field(record["prev"].encode())
    out += field(record["at"].encode())
    out += field(record["caller"].encode())
    if record["change_id"] is None:
        out += b"\x00"
    else:
        out += b"\x01" + field(record["change_id"].encode())
    for name in TEXT_FIELDS:
        out += field(record[name].encode())
    return out


def verify(lines) -> tuple[int, str | None]:
    """Returns how many records were checked and the first break, if any."""
    expected_seq = None
    expected_prev = None
    count = 0
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        count += 1
        try:
            record = json.loads(text)
            seq, prev, stored = record["seq"], record["prev"], record["hash"]
            body = encode(record)
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            return count, f"line {number}: not a record: {e}"
        change = f" (change `{record['change_id']}`)" if record.get("change_id") else ""
        if expected_seq is not None and seq != expected_seq:
            return count, f"record {seq}{change}: sequence: expected record {expected_seq}"
        if expected_prev is not None and prev != expected_prev:
            return count, f"record {seq}{change}: prev: expected {expected_prev}, found {prev}"
        computed = hashlib.sha256(body).hexdigest()
        if computed != stored:
            return count, f"record {seq}{change}: hash: computed {computed}, stored {stored}"
        expected_seq, expected_prev = seq + 1, stored
    return count, None


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        stream = sys.stdin if argv[1] == "-" else open(argv[1], encoding="utf-8")
        with stream:
            count, broken = verify(stream)
    except OSError as e:
        print(f"error: cannot read `{argv[1]}`: {e}", file=sys.stderr)
        return 2
    if broken:
        print(f"broken: {broken}")
        return 1
    print(f"{count} records, chain unbroken")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
