"""The PostgreSQL 15 peer for B1 and B3: the same rows, equivalent indexes and full text.

    python3 postgres_peer.py --socket DIR --port P --rows ROWS.tsv --specs QUERIES.ndjson --group G
    python3 postgres_peer.py --socket DIR --port P --rows - --bulk
    python3 postgres_peer.py --socket DIR --port P --queries-only --specs QUERIES.ndjson [--kinds K1,K2 | --skip-kinds K1,K2] [--max-per-kind N]

Loads ROWS (LedgerBench pgrows) twice: batched INSERTs of G rows per transaction
(synchronous_commit=on, the server's defaults otherwise) and COPY, each into a fresh table with
the indexes in place; then runs the same B3 queries (LedgerBench search --specs) in-process.
Prints one JSON object per result, like LedgerBench.

--bulk is for search alone (the 10M tier): one COPY of ROWS ("-": standard input, so that 10M rows
need no 30 GB file) into a table without indexes, then the same indexes built, ANALYZE and VACUUM.
Indexes built at once are denser than indexes grown row by row, so this favours the peer's search.
It loads once and times the load, then runs the queries if --specs is given; --queries-only runs
queries against a table already loaded (scripts/bench reads the cluster's files into the page cache
first, as it does the SQLite ledger before its searches).
"""
import argparse, json, sys, time

import psycopg

COLUMNS = ("seq", "account", "account_seq", "client_id", "name", "actor_id", "occurred_at", "received_at",
           "outcome", "ip", "country_code", "city", "hash", "canonical", "document")

SCHEMA = """
DROP TABLE IF EXISTS {t};
CREATE TABLE {t} (
    seq          bigint PRIMARY KEY,
    account      text   NOT NULL,
    account_seq  bigint NOT NULL,
    client_id    text,
    name         text   NOT NULL,
    actor_id     text   NOT NULL,
    occurred_at  bigint NOT NULL,
    received_at  bigint NOT NULL,
    outcome      smallint NOT NULL,
    ip           inet,
    country_code text,
    city         text,
    hash         bytea  NOT NULL,
    canonical    bytea  NOT NULL,
    document     text   NOT NULL
);
CREATE UNIQUE INDEX {t}_account_chain ON {t} (account, account_seq);
CREATE UNIQUE INDEX {t}_idempotency ON {t} (account, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX {t}_account_time ON {t} (account, occurred_at, seq, country_code, city);
CREATE INDEX {t}_account_name_time ON {t} (account, name, occurred_at, seq);
CREATE INDEX {t}_account_actor_time ON {t} (account, actor_id, occurred_at, seq);
CREATE INDEX {t}_fts ON {t} USING gin (to_tsvector('simple', document));
"""


def parse(line):
    values = line.rstrip("\n").split("\t")
    row = [None if v == "\\N" else v for v in values]
    row[12] = bytes.fromhex(row[12][3:])  # "\\x…" in COPY text
    row[13] = bytes.fromhex(row[13][3:])
    return row


def load_inserts(conn, rows_path, group):
    with conn.cursor() as cur:
        cur.execute(SCHEMA.format(t="events"))
    conn.commit()
    sql = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    slices, batch, total, busy = [], [], 0, 0.0
    with open(rows_path) as rows:
        for line in rows:
            batch.append(parse(line))
            if len(batch) == group:
                busy += insert(conn, sql, batch)
                total += len(batch)
                batch = []
                slices.append((total, busy))
    if batch:
        busy += insert(conn, sql, batch)
        total += len(batch)
        slices.append((total, busy))
    return total, busy, slices


def insert(conn, sql, batch):
    began = time.perf_counter()
    with conn.cursor() as cur:
        cur.executemany(sql, batch)
    conn.commit()
    return time.perf_counter() - began


def load_copy(conn, rows_path, group):
    with conn.cursor() as cur:
        cur.execute(SCHEMA.format(t="events_copy"))
    conn.commit()
    busy, total = 0.0, 0
    with open(rows_path, "rb") as rows:
        while True:
            chunk = [line for _, line in zip(range(group), rows)]
            if not chunk:
                break
            began = time.perf_counter()
            with conn.cursor() as cur:
                with cur.copy(f"COPY events_copy ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    copy.write(b"".join(chunk))
            conn.commit()
            busy += time.perf_counter() - began
            total += len(chunk)
    with conn.cursor() as cur:
        cur.execute("DROP TABLE events_copy")
    conn.commit()
    return total, busy


def load_bulk(conn, rows_path):
    """One COPY into a bare table, then the B1 table's indexes built over it."""
    statements = [s.strip() for s in SCHEMA.format(t="events").split(";") if s.strip()]
    table = [s for s in statements if not s.startswith("CREATE UNIQUE INDEX") and not s.startswith("CREATE INDEX")]
    indexes = [s for s in statements if s not in table]
    began = time.perf_counter()
    total = 0
    with conn.cursor() as cur:
        for statement in table:
            cur.execute(statement)
        # In the transaction that created the table, with wal_level=minimal, COPY writes no WAL.
        with cur.copy(f"COPY events ({', '.join(COLUMNS)}) FROM STDIN") as copy, \
                (open(sys.stdin.fileno(), "rb", closefd=False) if rows_path == "-" else open(rows_path, "rb")) as source:
            while chunk := source.read(1 << 20):
                total += chunk.count(b"\n")
                copy.write(chunk)
    conn.commit()
    copied = time.perf_counter()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '2GB'")
        for statement in indexes:
            cur.execute(statement)
        cur.execute("VACUUM (ANALYZE) events")
    conn.autocommit = False
    done = time.perf_counter()
    print(json.dumps({"bench": "load", "mode": "postgres_bulk", "events": total,
                      "copy_seconds": copied - began, "index_seconds": done - copied}), flush=True)


def query_sql(spec):
    where, values = ["account = %s"], [spec["account"]]
    if "name" in spec:
        where.append("name = %s"); values.append(spec["name"])
    if "prefix" in spec:
        where.append("name LIKE %s"); values.append(spec["prefix"] + "%")
    if "actor" in spec:
        where.append("actor_id = %s"); values.append(spec["actor"])
    if "country" in spec:
        where.append("country_code = %s"); values.append(spec["country"])
    if "words" in spec:
        where.append("to_tsvector('simple', document) @@ to_tsquery('simple', %s)")
        values.append(" & ".join(spec["words"]))
    if "from" in spec:
        where.append("occurred_at >= %s"); values.append(spec["from"])
    if "to" in spec:
        where.append("occurred_at < %s"); values.append(spec["to"])
    if "cursor_seq" in spec:
        where.append("(occurred_at, seq) < (%s, %s)")
        values += [spec["cursor_occurred_at"], spec["cursor_seq"]]
    sql = (f"SELECT seq, occurred_at, canonical FROM events WHERE {' AND '.join(where)} "
           "ORDER BY occurred_at DESC, seq DESC LIMIT 101")
    return sql, values


def run_queries(conn, specs_path, kinds=None, skip_kinds=None, max_per_kind=None):
    specs = [json.loads(line) for line in open(specs_path)]
    if kinds:
        specs = [s for s in specs if s["kind"] in kinds]
    if skip_kinds:
        specs = [s for s in specs if s["kind"] not in skip_kinds]
    if max_per_kind:
        # The first N of each kind, in file order (the 10M tier's full-text queries take seconds each here).
        kept, counts = [], {}
        for spec in specs:
            counts[spec["kind"]] = counts.get(spec["kind"], 0) + 1
            if counts[spec["kind"]] <= max_per_kind:
                kept.append(spec)
        specs = kept
    with conn.cursor() as cur:
        cur.execute("ANALYZE events")
        for spec in specs[:200]:
            cur.execute(*query_sql(spec)); cur.fetchall()
        by_kind = {}
        for spec in specs:
            sql, values = query_sql(spec)
            began = time.perf_counter()
            cur.execute(sql, values)
            rows = cur.fetchall()
            by_kind.setdefault(spec["kind"], []).append(((time.perf_counter() - began) * 1000, len(rows)))
    conn.commit()
    for kind, samples in sorted(by_kind.items()):
        times = sorted(t for t, _ in samples)
        print(json.dumps({"bench": "search", "side": "postgres", "kind": kind, "queries": len(times),
                          "p50_ms": times[len(times) // 2], "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))],
                          "mean_rows": sum(min(n, 100) for _, n in samples) / len(samples)}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rows")
    parser.add_argument("--specs")
    parser.add_argument("--group", type=int)
    parser.add_argument("--bulk", action="store_true")
    parser.add_argument("--queries-only", action="store_true")
    parser.add_argument("--kinds", type=lambda text: set(text.split(",")))
    parser.add_argument("--skip-kinds", type=lambda text: set(text.split(",")))
    parser.add_argument("--max-per-kind", type=int)
    args = parser.parse_args()
    if not (args.bulk or args.queries_only or args.group):
        parser.error("--group is required unless --bulk or --queries-only")
    if not (args.bulk or args.specs):
        parser.error("--specs is required unless --bulk")
    if not (args.queries_only or args.rows):
        parser.error("--rows is required unless --queries-only")
    conn = psycopg.connect(host=args.socket, port=args.port, dbname="postgres", user="postgres")
    with conn.cursor() as cur:
        cur.execute("SET synchronous_commit = on")
        cur.execute("SHOW fsync"); fsync = cur.fetchone()[0]
    conn.commit()

    if args.bulk or args.queries_only:
        if args.bulk:
            load_bulk(conn, args.rows)
        if args.specs:
            run_queries(conn, args.specs, args.kinds, args.skip_kinds, args.max_per_kind)
        return
    total, busy = load_copy(conn, args.rows, args.group)
    print(json.dumps({"bench": "append", "mode": "postgres_copy", "events": total, "rate": total / busy,
                      "fsync": fsync}), flush=True)
    total, busy, slices = load_inserts(conn, args.rows, args.group)
    slice_rows = max(args.group, total // 10)
    marks = [(n, t) for n, t in slices if n % slice_rows == 0 or n == total]
    rates, previous = [], (0, 0.0)
    for n, t in marks:
        rates.append((n - previous[0]) / (t - previous[1])); previous = (n, t)
    print(json.dumps({"bench": "append", "mode": "postgres_insert", "events": total, "rate": total / busy,
                      "first_slice_rate": rates[0], "last_slice_rate": rates[-1], "slice_rates": rates,
                      "group": args.group, "fsync": fsync}), flush=True)
    run_queries(conn, args.specs)


if __name__ == "__main__":
    main()
