#!/usr/bin/env python3
"""The full-text scope tokens of LedgerStore's FullTextScope, for asking a ledger's FTS5 index
by hand (Benchmarks/PROFILES.md, "Search scoped by day in the full-text index").

    python3 Benchmarks/LedgerBench/scope_tokens.py ACCOUNT DAY [COUNTRY]

prints the MATCH expression for the account's day (day = occurred_at / 86400000000), or for its
day in the country. As a module: token(kind, account, day, country=None).
"""
import struct
import sys


def fnv1a64(data: bytes) -> int:
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def token(kind: str, account: str, day: int, country: str | None = None) -> str:
    data = account.encode() + b"\xff" + struct.pack("<q", day)
    if country is not None:
        data += b"\xff" + country.encode()
    return "\ue000" + kind + "%016x" % fnv1a64(data)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    account, day = sys.argv[1], int(sys.argv[2])
    country = sys.argv[3] if len(sys.argv) == 4 else None
    print('"%s"' % token("c" if country else "d", account, day, country))
