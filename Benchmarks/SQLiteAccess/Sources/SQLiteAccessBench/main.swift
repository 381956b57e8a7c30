// Inserts the same rows, with the statements of LedgerStore's append transaction (an events
// row with 14 values, its full-text row and a Merkle node), three ways, into the same schema,
// in 10,000-row transactions with synchronous=FULL:
//
//   raw      the SQLite C API, prepared once, bind/step/reset: exactly the calls LedgerStore's
//            SQLiteConnection/SQLiteStatement wrapper makes (it adds a dictionary lookup per
//            statement per row, which is included here).
//   grdb     GRDB's fastest documented path: Database.cachedStatement + setUncheckedArguments.
//   record   GRDB's Record API (PersistableRecord.insert).
//
// Rounds are interleaved so that machine noise hits all three alike; the ratios are the result.
import Foundation
import GRDB
import GRDBSQLite

let rows = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 100_000
let rounds = Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 3
/// `durable`: a WAL file with synchronous=FULL, as in production. `memory`: an in-memory
/// database, which takes the disk out and leaves the access layer's own cost.
let inMemory = CommandLine.arguments.dropFirst(3).first == "memory"
let transactionSize = 10_000

let schema = """
    CREATE TABLE events (seq INTEGER PRIMARY KEY, account TEXT NOT NULL, account_seq INTEGER NOT NULL,
      client_id TEXT, name TEXT NOT NULL, actor_id TEXT NOT NULL, occurred_at INTEGER NOT NULL,
      received_at INTEGER NOT NULL, outcome INTEGER NOT NULL, ip BLOB, country_code TEXT, city TEXT,
      hash BLOB NOT NULL, canonical BLOB NOT NULL);
    CREATE INDEX events_account_time ON events (account, occurred_at);
    CREATE VIRTUAL TABLE events_fts USING fts5(body, content = '', detail = none);
    CREATE TABLE merkle_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,
      PRIMARY KEY (level, idx)) WITHOUT ROWID;
    """
let insertEvent = """
    INSERT INTO events (seq, account, account_seq, client_id, name, actor_id, occurred_at, received_at,
      outcome, ip, country_code, city, hash, canonical) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """
let insertText = "INSERT INTO events_fts (rowid, body) VALUES (?, ?)"
let insertNode = "INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)"

struct Row {
    var seq: Int64, account: String, accountSeq: Int64, clientID: String, name: String, actor: String
    var occurredAt: Int64, receivedAt: Int64, outcome: Int64, ip: [UInt8], country: String, city: String
    var hash: [UInt8], canonical: [UInt8], text: String
}

let generated: [Row] = (0..<rows).map { index in
    let i = Int64(index)
    return Row(seq: i + 1, account: "acct\(index % 1000)", accountSeq: i / 1000 + 1, clientID: "evt-\(index)",
               name: "stack.deploy\(index % 200)", actor: "u_\(index % 10_000)", occurredAt: 1_763_683_200_000_000 + i * 1_000,
               receivedAt: 1_763_683_200_000_000 + i * 1_000, outcome: i % 5 == 0 ? 1 : 0,
               ip: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 81, 2, UInt8(index % 256), 1],
               country: "GB", city: "London", hash: (0..<32).map { UInt8(truncatingIfNeeded: index &+ $0) },
               canonical: [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 420),
               text: "stack deploy u_\(index % 10_000) Deployed production from commit \(index)")
}

func freshDatabase() -> String {
    if inMemory { return ":memory:" }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-access-\(UUID().uuidString).sqlite").path
    return path
}

func removeDatabase(_ path: String) {
    if inMemory { return }
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

/// The raw C API, as LedgerStore's wrapper calls it.
func runRaw() throws -> Double {
    let path = freshDatabase()
    defer { removeDatabase(path) }
    var db: OpaquePointer?
    guard sqlite3_open(path, &db) == SQLITE_OK, let db else { fatalError("open") }
    defer { sqlite3_close(db) }
    func exec(_ sql: String) { guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { fatalError(String(cString: sqlite3_errmsg(db))) } }
    if !inMemory { exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;") }
    exec(schema)
    var cache: [String: OpaquePointer] = [:]
    func statement(_ sql: String) -> OpaquePointer {
        if let cached = cache[sql] { sqlite3_reset(cached); return cached }
        var raw: OpaquePointer?
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil) == SQLITE_OK, let raw else { fatalError("prepare") }
        cache[sql] = raw
        return raw
    }
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    func text(_ s: OpaquePointer, _ i: Int32, _ value: String) { sqlite3_bind_text(s, i, value, -1, transient) }
    func blob(_ s: OpaquePointer, _ i: Int32, _ value: [UInt8]) {
        value.withUnsafeBytes { _ = sqlite3_bind_blob(s, i, $0.baseAddress, Int32($0.count), transient) }
    }
    func step(_ s: OpaquePointer) { guard sqlite3_step(s) == SQLITE_DONE else { fatalError(String(cString: sqlite3_errmsg(db))) }; sqlite3_reset(s) }
    let start = Date()
    for chunk in stride(from: 0, to: generated.count, by: transactionSize) {
        exec("BEGIN IMMEDIATE")
        for row in generated[chunk..<min(chunk + transactionSize, generated.count)] {
            let s = statement(insertEvent)
            sqlite3_bind_int64(s, 1, row.seq); text(s, 2, row.account); sqlite3_bind_int64(s, 3, row.accountSeq)
            text(s, 4, row.clientID); text(s, 5, row.name); text(s, 6, row.actor); sqlite3_bind_int64(s, 7, row.occurredAt)
            sqlite3_bind_int64(s, 8, row.receivedAt); sqlite3_bind_int64(s, 9, row.outcome); blob(s, 10, row.ip)
            text(s, 11, row.country); text(s, 12, row.city); blob(s, 13, row.hash); blob(s, 14, row.canonical)
            step(s)
            let t = statement(insertText)
            sqlite3_bind_int64(t, 1, row.seq); text(t, 2, row.text)
            step(t)
            let n = statement(insertNode)
            sqlite3_bind_int64(n, 1, 1); sqlite3_bind_int64(n, 2, row.seq); blob(n, 3, row.hash)
            step(n)
        }
        exec("COMMIT")
    }
    let seconds = Date().timeIntervalSince(start)
    for (_, s) in cache { sqlite3_finalize(s) }
    return Double(rows) / seconds
}

func grdbQueue(_ path: String) throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    let queue = inMemory ? try DatabaseQueue(configuration: configuration) : try DatabaseQueue(path: path, configuration: configuration)
    try queue.writeWithoutTransaction { db in
        if !inMemory { _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        try db.execute(sql: schema)
    }
    return queue
}

/// GRDB's cached statements with unchecked arguments: its documented fast path.
func runGRDB() throws -> Double {
    let path = freshDatabase()
    defer { removeDatabase(path) }
    let queue = try grdbQueue(path)
    let start = Date()
    for chunk in stride(from: 0, to: generated.count, by: transactionSize) {
        try queue.inTransaction(.immediate) { db in
            for row in generated[chunk..<min(chunk + transactionSize, generated.count)] {
                let s = try db.cachedStatement(sql: insertEvent)
                s.setUncheckedArguments([row.seq, row.account, row.accountSeq, row.clientID, row.name, row.actor,
                                         row.occurredAt, row.receivedAt, row.outcome, Data(row.ip), row.country, row.city,
                                         Data(row.hash), Data(row.canonical)])
                try s.execute()
                let t = try db.cachedStatement(sql: insertText)
                t.setUncheckedArguments([row.seq, row.text])
                try t.execute()
                let n = try db.cachedStatement(sql: insertNode)
                n.setUncheckedArguments([1, row.seq, Data(row.hash)])
                try n.execute()
            }
            return .commit
        }
    }
    return Double(rows) / Date().timeIntervalSince(start)
}

struct EventRecord: Encodable, PersistableRecord {
    static let databaseTableName = "events"
    var seq: Int64, account: String, account_seq: Int64, client_id: String, name: String, actor_id: String
    var occurred_at: Int64, received_at: Int64, outcome: Int64, ip: Data, country_code: String, city: String
    var hash: Data, canonical: Data
}

struct TextRecord: Encodable, PersistableRecord {
    static let databaseTableName = "events_fts"
    var rowid: Int64, body: String
}

struct NodeRecord: Encodable, PersistableRecord {
    static let databaseTableName = "merkle_nodes"
    var level: Int64, idx: Int64, hash: Data
}

/// GRDB's Record API.
func runRecords() throws -> Double {
    let path = freshDatabase()
    defer { removeDatabase(path) }
    let queue = try grdbQueue(path)
    let start = Date()
    for chunk in stride(from: 0, to: generated.count, by: transactionSize) {
        try queue.inTransaction(.immediate) { db in
            for row in generated[chunk..<min(chunk + transactionSize, generated.count)] {
                try EventRecord(seq: row.seq, account: row.account, account_seq: row.accountSeq, client_id: row.clientID,
                                name: row.name, actor_id: row.actor, occurred_at: row.occurredAt, received_at: row.receivedAt,
                                outcome: row.outcome, ip: Data(row.ip), country_code: row.country, city: row.city,
                                hash: Data(row.hash), canonical: Data(row.canonical)).insert(db)
                try TextRecord(rowid: row.seq, body: row.text).insert(db)
                try NodeRecord(level: 1, idx: row.seq, hash: Data(row.hash)).insert(db)
            }
            return .commit
        }
    }
    return Double(rows) / Date().timeIntervalSince(start)
}

var results: [String: [Double]] = [:]
for round in 1...rounds {
    for (name, run) in [("raw", runRaw), ("grdb", runGRDB), ("record", runRecords)] {
        let rate = try run()
        results[name, default: []].append(rate)
        print("round \(round) \(name): \(Int(rate)) rows/s")
    }
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
let raw = median(results["raw"]!)
print("")
print("median rows/s over \(rounds) interleaved rounds of \(rows) rows (\(inMemory ? "in memory" : "WAL, synchronous=FULL")):")
for name in ["raw", "grdb", "record"] {
    let value = median(results[name]!)
    print("  \(name.padding(toLength: 7, withPad: " ", startingAt: 0)) \(Int(value)) rows/s  (\(String(format: "%.2f", value / raw))x raw)")
}
