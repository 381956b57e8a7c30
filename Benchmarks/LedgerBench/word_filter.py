#!/usr/bin/env python3
"""The word filters of LedgerStore's WordFilter (schema migration 8), for asking a ledger by hand
how many of an account's index entries a query's filter lets through and how many of those
hold the words (Benchmarks/PROFILES.md, "Full-text search through word filters").

    python3 Benchmarks/LedgerBench/word_filter.py --db LEDGER --account A --words W1[,W2…]

Prints the account's events, the entries whose filter holds every bit of the words (with the
time SQLite took to walk the account's entries for them), the events that hold the words (from
the full-text index), the same two counts for each word alone, and the mean number of bits set
in the account's filters. As a module: word_filter(words) gives the four column values.
"""
import argparse
import sqlite3
import time

MASK = (1 << 64) - 1


def fnv1a64(data: bytes) -> int:
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & MASK
    return value


def signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def word_filter(words):
    """The columns words_0 … words_3 (signed, as SQLite stores them) of a document with `words`."""
    lanes = [0, 0, 0, 0]
    for word in words:
        hash = fnv1a64(word.lower().encode())
        for shift in (0, 8, 16):
            bit = (hash >> shift) & 255
            lanes[bit // 64] |= 1 << (bit % 64)
    return [signed(lane) for lane in lanes]


def passing(db, account, words):
    lanes = word_filter(words)
    terms = "".join(f" AND (words_{i} & ?) = ?" for i in range(4))
    values = [v for lane in lanes for v in (lane, lane)]
    began = time.perf_counter()
    count = db.execute(f"SELECT count(*) FROM events INDEXED BY events_account_time WHERE account = ?{terms}",
                       [account] + values).fetchone()[0]
    return count, (time.perf_counter() - began) * 1e3


def holding(db, account, words):
    match = " AND ".join('"%s"' % w for w in words)
    return db.execute("SELECT count(*) FROM events WHERE account = ? AND seq IN "
                      "(SELECT rowid FROM events_fts WHERE events_fts MATCH ?)", (account, match)).fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--account", required=True)
    parser.add_argument("--words", required=True, help="comma-separated, lower-case ASCII")
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    words = args.words.split(",")
    events = db.execute("SELECT count(*) FROM events WHERE account = ?", (args.account,)).fetchone()[0]
    through, ms = passing(db, args.account, words)
    print(f"{args.account}: {events} events; filter lets through {through} ({ms:.2f} ms to walk); "
          f"{holding(db, args.account, words)} hold {' and '.join(words)}")
    if len(words) > 1:
        for word in words:
            print(f"  {word}: filter {passing(db, args.account, [word])[0]}, holding {holding(db, args.account, [word])}")
    bits = [sum(bin(v & MASK).count("1") for v in row)
            for row in db.execute("SELECT words_0, words_1, words_2, words_3 FROM events "
                                  "WHERE account = ? AND words_0 IS NOT NULL LIMIT 5000", (args.account,))]
    if bits:
        print(f"  bits set per event: {sum(bits) / len(bits):.1f} of 256")


if __name__ == "__main__":
    main()
