import CSQLite
import Foundation
import GeoIP
import LedgerCore
import LedgerStore

/// The events of the benchmark ledger, a slice at a time, located the way ingest would.
struct EventSource {
    let generator: EventGenerator
    let enricher: GeoEnricher

    init(seed: UInt64, total: Int, accounts: Int, geoDatabase: String?) throws {
        generator = EventGenerator(seed: seed, total: total, accounts: accounts)
        let locator: (any GeoLocating)? = try geoDatabase.map {
            CachedGeoLocator(base: try GeoIPDatabase(path: $0), capacity: 100_000)
        }
        enricher = GeoEnricher(locator: locator)
    }

    func events(_ range: Range<Int>) -> [NewEvent] {
        range.map { index in
            let content = generator.content(index)
            return NewEvent(content: content, occurredAtGiven: true, geo: enricher.enrich(content.ip))
        }
    }
}

/// Rows per second for each consecutive slice of an append run, timing only the appends.
struct AppendRun {
    var sliceRows: Int
    var sliceSeconds: [Double] = []
    /// Size of the WAL file at the end of each slice, and the largest seen after any commit.
    var sliceWALBytes: [Int] = []
    var maxWALBytes = 0
    /// WAL frames the commits of each slice wrote (raw side only: it sees every commit's frames),
    /// the measure of how many pages a row dirties (PERFORMANCE-NOTES.md).
    var sliceWALFramesWritten: [Int] = []

    mutating func sampleWAL(_ path: String, sliceEnd: Bool) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "-wal")
        let size = (attributes?[.size] as? Int) ?? 0
        maxWALBytes = max(maxWALBytes, size)
        if sliceEnd { sliceWALBytes.append(size) }
    }

    var rows: Int { sliceRows * sliceSeconds.count }
    var seconds: Double { sliceSeconds.reduce(0, +) }
    func rate(slices range: Range<Int>) -> Double {
        Double(sliceRows * range.count) / sliceSeconds[range].reduce(0, +)
    }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Appends `total` generated events through `LedgerStore` in commits of `group` events.
func appendThroughStore(path: String, source: EventSource, total: Int, group: Int, sliceRows: Int,
                        progress: (Int) -> Void) async throws -> AppendRun {
    var options = SQLiteLedger.Options()
    options.maxGroupEvents = group
    let ledger = try SQLiteLedger(path: path, options: options)
    var run = AppendRun(sliceRows: sliceRows)
    var sliceTime = 0.0
    for start in stride(from: 0, to: total, by: group) {
        let events = source.events(start..<min(total, start + group))
        let began = ContinuousClock.now
        _ = try await ledger.append(events)
        sliceTime += seconds(since: began)
        let sliceEnd = (start + events.count) % sliceRows == 0
        run.sampleWAL(path, sliceEnd: sliceEnd)
        if sliceEnd {
            run.sliceSeconds.append(sliceTime)
            sliceTime = 0
            progress(start + events.count)
        }
    }
    await ledger.close()
    return run
}

/// The limit: the same rows (already sealed, hashed and placed in the tree, outside the timer)
/// inserted straight through the SQLite C API into the store's own schema, with the same
/// transaction size, durability and checkpointing.
func appendRaw(path: String, source: EventSource, total: Int, group: Int, sliceRows: Int,
               progress: (Int) -> Void) throws -> AppendRun {
    // The schema comes from the store itself, so both sides always index the same way.
    _ = try SQLiteLedger(path: path)
    let database = try RawDatabase(path: path)
    try database.execute("""
        PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0;
        PRAGMA cache_size = -\(SQLiteLedger.Options().writerCacheKiB); PRAGMA temp_store = MEMORY;
        """)
    let options = SQLiteLedger.Options()
    try database.execute("PRAGMA journal_size_limit = \(options.walRestartBytes)")
    let checkpointer = try RawCheckpointer(path: path, everyRows: options.checkpointEveryEvents,
                                           restartFrames: options.walRestartBytes / 4096)
    database.trackWALFrames()
    var sealer = Sealer()
    var run = AppendRun(sliceRows: sliceRows)
    var sliceTime = 0.0
    var sliceFrames = 0
    for start in stride(from: 0, to: total, by: group) {
        let rows = sealer.seal(source.events(start..<min(total, start + group)), receivedAt: Timestamp.systemNow())
        let began = ContinuousClock.now
        let framesBefore = database.walFrames
        try database.insert(rows)
        sliceTime += seconds(since: began)
        // A commit that started the WAL over wrote every frame now in it.
        sliceFrames += database.walFrames >= framesBefore ? database.walFrames - framesBefore : database.walFrames
        checkpointer.committed(rows.count, walFrames: database.walFrames)
        let sliceEnd = (start + rows.count) % sliceRows == 0
        run.sampleWAL(path, sliceEnd: sliceEnd)
        if sliceEnd {
            run.sliceSeconds.append(sliceTime)
            run.sliceWALFramesWritten.append(sliceFrames)
            sliceTime = 0
            sliceFrames = 0
            progress(start + rows.count)
        }
    }
    checkpointer.drain()
    return run
}

/// One event as the store would write it.
struct SealedRow {
    var event: NewEvent
    var stored: StoredEvent
    var canonical: [UInt8]
    var merkleNodes: [MerkleNode]
    var newAccount: Bool
    var newName: Bool
    var document: String
    var wordFilter: WordFilter
}

/// Does outside the timer what the store does inside it: chain, seal, hash, grow the tree.
struct Sealer {
    var nextSeq: UInt64 = 1
    var heads: [String: (UInt64, MerkleHash)] = [:]
    var names: Set<String> = []
    var frontier = MerkleFrontier()

    mutating func seal(_ events: [NewEvent], receivedAt: Timestamp) -> [SealedRow] {
        events.map { event in
            let content = event.content
            let head = heads[content.account] ?? (0, StoredEvent.zeroHash)
            let (stored, canonical) = StoredEvent.seal(seq: nextSeq, accountSeq: head.0 + 1, receivedAt: receivedAt,
                                                       content: content, geo: event.geo, previousHash: head.1)
            nextSeq += 1
            heads[content.account] = (stored.accountSeq, stored.hash)
            let nodes = try! frontier.append(leafHash: stored.hash)
            let words = FullText.document(for: content)
            return SealedRow(event: event, stored: stored, canonical: canonical, merkleNodes: nodes,
                             newAccount: head.0 == 0, newName: names.insert(content.account + "\u{0}" + content.name).inserted,
                             document: FullTextScope.document(words: words, of: content, countryCode: stored.geo.location?.countryCode),
                             wordFilter: WordFilter(document: words))
        }
    }
}

private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A bare SQLite connection with the store's insert statements prepared once.
final class RawDatabase {
    let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]

    init(path: String) throws {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let handle else {
            throw BenchError("cannot open \(path)")
        }
        self.handle = handle
        sqlite3_busy_timeout(handle, 10_000)
    }

    /// Frames in the WAL after the last commit, once `trackWALFrames()` installed the WAL hook.
    private(set) var walFrames = 0

    func trackWALFrames() {
        sqlite3_wal_hook(handle, { context, _, _, frames in
            if let context { Unmanaged<RawDatabase>.fromOpaque(context).takeUnretainedValue().walFrames = Int(frames) }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchError("\(String(cString: sqlite3_errmsg(handle))) in \(sql)")
        }
    }

    private func statement(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw BenchError("\(String(cString: sqlite3_errmsg(handle))) in \(sql)")
        }
        statements[sql] = statement
        return statement
    }

    private func run(_ sql: String, _ values: [Value]) throws {
        let statement = try statement(sql)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, index)
            case .integer(let number): sqlite3_bind_int64(statement, index, number)
            case .text(let text): sqlite3_bind_text(statement, index, text, -1, transient)
            case .blob(let bytes): bytes.withUnsafeBytes { _ = sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient) }
            }
        }
        let status = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard status == SQLITE_DONE else { throw BenchError("\(String(cString: sqlite3_errmsg(handle))) in \(sql)") }
    }

    enum Value {
        case null, integer(Int64), text(String), blob([UInt8])
        init(_ text: String?) { self = text.map { .text($0) } ?? .null }
        init(_ bytes: [UInt8]?) { self = bytes.map { .blob($0) } ?? .null }
    }

    /// One transaction holding every row, written exactly as the store writes them.
    func insert(_ rows: [SealedRow]) throws {
        try execute("BEGIN IMMEDIATE")
        for row in rows {
            let content = row.event.content
            let seq = Int64(row.stored.seq)
            try run(RawSQL.event, RawSQL.eventValues(row))
            for target in content.targets {
                try run("INSERT OR IGNORE INTO event_targets (account, day, target_type, target_id, seq) VALUES (?, ?, ?, ?, ?)",
                        [.text(content.account), .integer(content.occurredAt.microseconds / 86_400_000_000),
                         .text(target.type), .text(target.id), .integer(seq)])
            }
            if let clientID = content.clientID {
                try run("INSERT INTO idempotency_keys (account, client_id, seq, content_digest) VALUES (?, ?, ?, ?)",
                        [.text(content.account), .text(clientID), .integer(seq), .blob(row.event.contentDigest)])
            }
            if row.newAccount {
                try run("INSERT INTO accounts (account, first_seq) VALUES (?, ?)", [.text(content.account), .integer(seq)])
            }
            if row.newName {
                try run("INSERT OR IGNORE INTO account_names (account, name) VALUES (?, ?)", [.text(content.account), .text(content.name)])
            }
            try run("INSERT INTO events_fts (rowid, body) VALUES (?, ?)", [.integer(seq), .text(row.document)])
            for node in row.merkleNodes {
                try run("INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)",
                        [.integer(Int64(node.id.level)), .integer(Int64(node.id.index)), .blob(node.hash.bytes)])
            }
        }
        try execute("COMMIT")
    }
}

/// The `events` row exactly as `GroupCommitWriter` binds it.
enum RawSQL {
    static let event = """
        INSERT INTO events (seq, account, account_seq, client_id, name, actor_id, occurred_at, received_at,
                            outcome, ip, country_code, city, hash, canonical, words_0, words_1, words_2, words_3)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func eventValues(_ row: SealedRow) -> [RawDatabase.Value] {
        let content = row.event.content
        return [.integer(Int64(row.stored.seq)), .text(content.account), .integer(Int64(row.stored.accountSeq)),
                .init(content.clientID), .text(content.name), .text(content.actor.id),
                .integer(content.occurredAt.microseconds), .integer(row.stored.receivedAt.microseconds),
                .integer(Int64(content.outcome.rawValue)), .init(content.ip?.bytes16),
                .init(row.event.geo.location?.countryCode), .init(row.event.geo.location?.city),
                .blob(row.stored.hash.bytes), .blob(row.canonical),
               ] + row.wordFilter.columns.map { .integer($0) }
    }
}

/// The store's checkpoint policy for the raw side (WALCheckpointer): PASSIVE checkpoints on
/// another thread, and past the WAL bound, one more pass between two commits so that the next
/// commit starts the WAL over.
final class RawCheckpointer: @unchecked Sendable {
    private let database: RawDatabase
    private let queue = DispatchQueue(label: "raw-checkpoint")
    private let everyRows: Int
    private let restartFrames: Int
    private var sinceLast = 0
    private var busy = false
    private var lastFrames = 0
    private var nextRestartAt: Int
    private let lock = NSLock()

    init(path: String, everyRows: Int, restartFrames: Int) throws {
        database = try RawDatabase(path: path)
        // sqlite3_wal_checkpoint_v2 on a connection that has never read the database does not
        // open the WAL: it reports "not in WAL mode" (-1 frames) and copies nothing, so without
        // this read the raw side never checkpointed and its WAL grew without bound (960 MB at
        // 300k rows; the store's own checkpointer goes through a prepared PRAGMA, which reads).
        try database.execute("SELECT count(*) FROM sqlite_schema")
        self.everyRows = everyRows
        self.restartFrames = restartFrames
        nextRestartAt = restartFrames
    }

    private func passive() -> (Int64, Int64) {
        var log: Int32 = 1, copied: Int32 = 0
        sqlite3_wal_checkpoint_v2(database.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
        return (Int64(log), Int64(copied))
    }

    func committed(_ rows: Int, walFrames: Int) {
        if walFrames < lastFrames { nextRestartAt = restartFrames }
        lastFrames = walFrames
        if walFrames >= nextRestartAt {
            let (log, copied) = queue.sync { passive() }
            sinceLast = 0
            nextRestartAt = copied >= log ? restartFrames : walFrames + restartFrames
            return
        }
        sinceLast += rows
        guard sinceLast >= everyRows, lock.withLock({ !busy }) else { return }
        sinceLast = 0
        lock.withLock { busy = true }
        queue.async { [self] in
            _ = passive()
            lock.withLock { busy = false }
        }
    }

    func drain() {
        queue.sync { try? database.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
