import Foundation
import LedgerCore

/// The ledger's single writer: concurrent appends are coalesced into one transaction and one
/// fsync, and each caller resumes only once its events are durable.
///
/// `@unchecked Sendable`: `pending` and `stopping` are guarded by `condition`; the connection
/// and `state` are touched only by the writer thread.
final class GroupCommitWriter: @unchecked Sendable {
    private struct Request {
        let events: [NewEvent]
        let continuation: CheckedContinuation<[AppendReceipt], Error>
    }

    private let condition = NSCondition()
    private var pending: [Request] = []
    private var stopping = false
    private var stopped: CheckedContinuation<Void, Never>?
    private var finished = false

    private let connection: SQLiteConnection
    private var state = WriterState()
    private var dataVersion: Int64 = 0
    private let maxGroupEvents: Int
    private let clock: @Sendable () -> Timestamp
    private let afterCommit: @Sendable (_ events: Int, _ walFrames: Int) -> Void
    /// `PRAGMA synchronous` as the writer's connection reports it (2 = FULL), read once at start.
    let synchronousLevel: Int64

    /// - Parameters:
    ///   - maxGroupEvents: a group takes whole requests until it holds at least this many events.
    ///   - afterCommit: called on the writer thread after each commit, with the number of events
    ///     it stored and the frames now in the WAL; the next commit waits for it to return.
    init(connection: SQLiteConnection, maxGroupEvents: Int, clock: @escaping @Sendable () -> Timestamp,
         afterCommit: @escaping @Sendable (_ events: Int, _ walFrames: Int) -> Void) throws {
        self.connection = connection
        self.maxGroupEvents = maxGroupEvents
        self.clock = clock
        self.afterCommit = afterCommit
        synchronousLevel = try connection.scalarInt("PRAGMA synchronous") ?? -1
        connection.trackWALFrames()
        try state.load(connection)
        dataVersion = try connection.scalarInt("PRAGMA data_version") ?? 0
        let thread = Thread { [self] in run() }
        thread.name = "auditledger-writer"
        thread.start()
    }

    func append(_ events: [NewEvent]) async throws -> [AppendReceipt] {
        if events.isEmpty { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            guard !stopping else { return continuation.resume(throwing: AppendError.closed) }
            pending.append(Request(events: events, continuation: continuation))
            condition.signal()
        }
    }

    /// Refuses new appends, commits what is queued, and waits for the writer thread to end.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            defer { condition.unlock() }
            if finished { return continuation.resume() }
            stopping = true
            stopped = continuation
            condition.signal()
        }
    }

    private func run() {
        Self.raiseSchedulingPriority()
        while let group = nextGroup() {
            commit(group)
        }
        condition.lock()
        finished = true
        let waiter = stopped
        condition.unlock()
        waiter?.resume()
    }

    /// Every append waits for this one thread, so when request handling (and, on a shared
    /// machine, anything else) keeps every core busy, a fair share of the CPU makes the writer
    /// the queue everyone waits in: with 64 single-event clients on 2 cores it ran at about a
    /// third of a core while each request waited for it (BENCHMARKS.md, B2 profile). A lower nice
    /// value for this thread alone lets it run as soon as a group is ready. Lowering nice needs
    /// CAP_SYS_NICE (or an RLIMIT_NICE allowance); without it this does nothing.
    private static func raiseSchedulingPriority() {
        #if os(Linux)
        // On Linux the nice value is per thread, and `who` 0 names the calling thread.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, -5)
        #endif
    }

    /// Blocks until requests are queued; takes whole requests up to the group size.
    private func nextGroup() -> [Request]? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !stopping { condition.wait() }
        if pending.isEmpty { return nil }
        var count = 0
        var taken = 0
        while taken < pending.count && (taken == 0 || count + pending[taken].events.count <= maxGroupEvents) {
            count += pending[taken].events.count
            taken += 1
        }
        let group = Array(pending[..<taken])
        pending.removeFirst(taken)
        return group
    }

    private func commit(_ group: [Request]) {
        var results: [Result<[AppendReceipt], Error>] = []
        var stored = 0
        do {
            try connection.execute("BEGIN IMMEDIATE")
            try reloadIfChangedElsewhere()
            let receivedAt = max(clock(), state.lastReceivedAt)
            for request in group {
                let result = try appendRequest(request.events, receivedAt: receivedAt)
                if case .success(let receipts) = result { stored += receipts.count(where: { !$0.replayed }) }
                results.append(result)
            }
            try SQLiteEventRows.mergeFullText(afterAppending: stored, connection)
            try connection.execute("COMMIT")
            state.lastReceivedAt = receivedAt
            dataVersion = try connection.scalarInt("PRAGMA data_version") ?? dataVersion
        } catch {
            if connection.isInTransaction { try? connection.execute("ROLLBACK") }
            try? state.load(connection)
            let surfaced = SQLiteError.surfacing(error)
            results = group.map { _ in .failure(surfaced) }
            stored = 0
        }
        for (request, result) in zip(group, results) { request.continuation.resume(with: result) }
        if stored > 0 { afterCommit(stored, connection.walFrames) }
    }

    /// Another process (say, `auditledger ingest` beside a running server) may have appended
    /// since our last commit; our cached heads would then be stale.
    private func reloadIfChangedElsewhere() throws {
        let version = try connection.scalarInt("PRAGMA data_version") ?? 0
        if version != dataVersion {
            try state.load(connection)
            dataVersion = version
        }
    }

    /// Appends one request's events inside the group's transaction. Idempotency is checked for
    /// the whole request before anything is written, so a conflict leaves no trace.
    private func appendRequest(_ events: [NewEvent], receivedAt: Timestamp) throws -> Result<[AppendReceipt], Error> {
        let plan = try IdempotencyPlan.slots(for: events) { account, clientID in
            try storedIdempotencyKey(account: account, clientID: clientID).map { ($0.digest, $0.seq, $0.seq) }
        }
        switch plan {
        case .failure(let conflicts):
            return .failure(conflicts)
        case .success(let slots):
            return .success(try IdempotencyPlan.receipts(
                for: events, slots: slots,
                store: { try insert($0, receivedAt: receivedAt) },
                replay: { try storedReceipt(seq: $1, clientID: $0.content.clientID) }))
        }
    }

    private func storedIdempotencyKey(account: String, clientID: String) throws -> (seq: UInt64, digest: [UInt8])? {
        let statement = try connection.statement(
            "SELECT seq, content_digest FROM idempotency_keys WHERE account = ? AND client_id = ?")
        try statement.bind(1, account)
        try statement.bind(2, clientID)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return (UInt64(statement.int64(0)), statement.blob(1) ?? [])
    }

    private func storedReceipt(seq: UInt64, clientID: String?) throws -> AppendReceipt {
        let statement = try connection.statement("SELECT account_seq, hash FROM events WHERE seq = ?")
        try statement.bind(1, Int64(seq))
        defer { statement.reset() }
        guard try statement.step() else {
            throw SQLiteError(code: 0, message: "idempotency key points at missing seq \(seq)", sql: nil)
        }
        return AppendReceipt(clientID: clientID, seq: seq, accountSeq: UInt64(statement.int64(0)),
                             hash: statement.hash(1) ?? StoredEvent.zeroHash, replayed: true)
    }

    private func insert(_ event: NewEvent, receivedAt: Timestamp) throws -> AppendReceipt {
        let content = event.content
        let head = try state.head(of: content.account, connection)
        let (stored, canonical) = StoredEvent.seal(
            seq: state.nextSeq, accountSeq: head.accountSeq + 1, receivedAt: receivedAt,
            content: content, geo: event.geo, previousHash: head.hash)
        try SQLiteEventRows.insert(stored, canonical: canonical, idempotencyDigest: event.contentDigest,
                                   recordName: state.noteName(content.name, account: content.account),
                                   frontier: &state.frontier, connection)
        state.advance(content.account, to: .init(accountSeq: stored.accountSeq, hash: stored.hash))
        return AppendReceipt(clientID: content.clientID, seq: stored.seq, accountSeq: stored.accountSeq,
                             hash: stored.hash, replayed: false)
    }
}
