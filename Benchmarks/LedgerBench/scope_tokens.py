#!/usr/bin/env python3
"""The full-text scope tokens of LedgerStore's FullTextScope, for asking a ledger's FTS5 index
by hand (Benchmarks/PROFILES.md, "Search scoped by day in the full-text index").

    python3 Benchmarks/LedgerBench/scope_tokens.py token ACCOUNT DAY|- [COUNTRY]
    python3 Benchmarks/LedgerBench/scope_tokens.py time --db LEDGER --account A [--country C]
            [--words W1,W2] [--days N] [--per-day] [--repeat R]

`token` prints the MATCH phrase for the account's day (day = occurred_at / 86400000000), or for
its day in the country; with "-" for the day, the phrase for the account's events in the country
on any day. `time` asks the index about the account's newest N days (all by default) as the
search does, in one OR of the days' tokens AND the words, or with --per-day one question a day,
and prints the candidates found and the milliseconds taken (the best of R repeats, so the pages
are cached). With a country it also times the account's token for the country (every day in one
question), and with a country and no words the plain plan, the account/time index read for the
country. As a module: token(kind, account, day, country=None).
"""
import argparse
import sqlite3
import struct
import sys
import time


def fnv1a64(data: bytes) -> int:
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def token(kind: str, account: str, day: int | None, country: str | None = None) -> str:
    """Kind "d" (account, day), "c" (account, day, country) or "a" (account, country: day None)."""
    data = account.encode() + b"\xff"
    if day is not None:
        data += struct.pack("<q", day) + (b"\xff" if country is not None else b"")
    if country is not None:
        data += country.encode()
    return "\ue000" + kind + "%016x" % fnv1a64(data)


def phrase(account, day, country):
    return '"%s"' % token("c" if country else "d", account, day, country)


def best_ms(run, repeat):
    best, result = None, None
    for _ in range(repeat):
        began = time.perf_counter()
        result = run()
        elapsed = (time.perf_counter() - began) * 1e3
        best = elapsed if best is None else min(best, elapsed)
    return result, best


def time_questions(args):
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    days = [row[0] for row in db.execute(
        "SELECT DISTINCT occurred_at / 86400000000 FROM events WHERE account = ? ORDER BY 1 DESC", (args.account,))]
    days = days[:args.days] if args.days else days
    words = ['"%s"' % w for w in args.words.split(",")] if args.words else []
    events = db.execute("SELECT max(account_seq) FROM events WHERE account = ?", (args.account,)).fetchone()[0]
    segments = db.execute("SELECT count(DISTINCT segid) FROM events_fts_idx").fetchone()[0]

    def ask(run_days):
        scopes = [phrase(args.account, day, args.country) for day in run_days]
        scope = scopes[0] if len(scopes) == 1 else "(" + " OR ".join(scopes) + ")"
        return len(db.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH ?",
                              (" AND ".join([scope] + words),)).fetchall())

    if args.per_day:
        found, ms = best_ms(lambda: sum(ask([day]) for day in days), args.repeat)
    else:
        found, ms = best_ms(lambda: ask(days), args.repeat)
    print(f"{args.account}: {events} events, {len(days)} days asked "
          f"{'one at a time' if args.per_day else 'in one OR'}, {segments} index segments: "
          f"{found} candidates in {ms:.3f} ms ({ms * 1e3 / len(days):.1f} µs a day)")
    if args.country:
        whole = " AND ".join(['"%s"' % token("a", args.account, None, args.country)] + words)
        count, ms = best_ms(lambda: len(db.execute(
            "SELECT rowid FROM events_fts WHERE events_fts MATCH ?", (whole,)).fetchall()), args.repeat)
        print(f"the account's token for {args.country}, every day at once: {count} candidates in {ms:.3f} ms")
    if args.country and not words:
        count, scan = best_ms(lambda: db.execute(
            "SELECT count(*) FROM events WHERE account = ? AND country_code = ?",
            (args.account, args.country)).fetchone()[0], args.repeat)
        print(f"plain plan, the account/time index read for {args.country}: {count} events in {scan:.3f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("token")
    show.add_argument("account")
    show.add_argument("day")
    show.add_argument("country", nargs="?")
    timing = commands.add_parser("time")
    timing.add_argument("--db", required=True)
    timing.add_argument("--account", required=True)
    timing.add_argument("--country")
    timing.add_argument("--words")
    timing.add_argument("--days", type=int)
    timing.add_argument("--per-day", action="store_true")
    timing.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.command == "token":
        if args.day == "-":
            print('"%s"' % token("a", args.account, None, args.country))
        else:
            print(phrase(args.account, int(args.day), args.country))
    else:
        time_questions(args)


if __name__ == "__main__":
    sys.exit(main())
