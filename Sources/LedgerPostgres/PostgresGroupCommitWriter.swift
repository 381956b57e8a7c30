import LedgerCore
import LedgerStore
import Logging
import PostgresNIO

/// One node's writer: concurrent appends are queued and committed together, one group per
/// transaction, and each caller resumes only after COMMIT returned (synchronous_commit on).
///
/// Several nodes share the database, so every group first takes the ledger's writer lock
/// (`pg_advisory_xact_lock`), then checks whether another node appended since this one last
/// committed (`PostgresWriterState.synchronise`). `seq` is assigned under that lock, never from
/// a sequence, so it stays dense: a transaction that dies with its connection leaves nothing,
/// and the server releases the lock as soon as it notices the connection is gone.
actor PostgresGroupCommitWriter {
    /// Taken by every transaction that appends events (any node), and released at its end.
    static let writerLockKey: Int64 = 0x4175_6469_744C_0002

    private enum Job {
        case append([NewEvent], CheckedContinuation<[AppendReceipt], Error>)
        case importSealed([CopiedEvent], CheckedContinuation<Void, Error>)

        var eventCount: Int {
            switch self {
            case .append(let events, _): events.count
            case .importSealed(let events, _): events.count
            }
        }
    }

    private let pool: PostgresPool
    private let maxGroupEvents: Int
    private let clock: @Sendable () -> Timestamp
    private let logger: Logger
    private let state = PostgresWriterState()
    private var pending: [Job] = []
    private var committing = false
    private var stopping = false
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    init(pool: PostgresPool, maxGroupEvents: Int, clock: @escaping @Sendable () -> Timestamp, logger: Logger) {
        self.pool = pool
        self.maxGroupEvents = maxGroupEvents
        self.clock = clock
        self.logger = logger
    }

    func append(_ events: [NewEvent]) async throws -> [AppendReceipt] {
        if events.isEmpty { return [] }
        guard !stopping else { throw AppendError.closed }
        return try await withCheckedThrowingContinuation { continuation in
            enqueue(.append(events, continuation))
        }
    }

    /// Stores already-sealed events verbatim (LedgerCopying), serialised with appends.
    func importSealed(_ events: [CopiedEvent]) async throws {
        if events.isEmpty { return }
        guard !stopping else { throw AppendError.closed }
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.importSealed(events, continuation))
        }
    }

    /// Refuses new work and returns once everything queued is committed.
    func shutdown() async {
        stopping = true
        if !committing { return }
        await withCheckedContinuation { drainWaiters.append($0) }
    }

    private func enqueue(_ job: Job) {
        pending.append(job)
        if !committing {
            committing = true
            Task { await self.drain() }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let group = nextGroup()
            if case .importSealed(let events, let continuation) = group[0] {
                continuation.resume(with: await result { try await self.commitImport(events) })
                continue
            }
            let requests = group.compactMap { job -> ([NewEvent], CheckedContinuation<[AppendReceipt], Error>)? in
                if case .append(let events, let continuation) = job { return (events, continuation) }
                return nil
            }
            let results: [Result<[AppendReceipt], Error>]
            do {
                results = try await commitAppends(requests.map(\.0))
            } catch {
                results = requests.map { _ in .failure(error) }
            }
            for ((_, continuation), result) in zip(requests, results) { continuation.resume(with: result) }
        }
        committing = false
        let waiters = drainWaiters
        drainWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Whole append requests up to the group size; an import always travels alone.
    private func nextGroup() -> [Job] {
        if case .importSealed = pending[0] { return [pending.removeFirst()] }
        var count = 0, taken = 0
        while taken < pending.count, case .append = pending[taken],
              taken == 0 || count + pending[taken].eventCount <= maxGroupEvents {
            count += pending[taken].eventCount
            taken += 1
        }
        let group = Array(pending[..<taken])
        pending.removeFirst(taken)
        return group
    }

    private func result<T>(_ body: () async throws -> T) async -> Result<T, Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// One transaction for the whole group; a request whose ids conflict fails alone.
    private func commitAppends(_ requests: [[NewEvent]]) async throws -> [Result<[AppendReceipt], Error>] {
        do {
            let (results, receivedAt) = try await PostgresTransaction.run(pool, logger: logger) { connection in
                try await self.lock(connection)
                let receivedAt = max(self.clock(), self.state.lastReceivedAt)
                var planner = PostgresAppendPlanner(
                    storedKeys: try await Self.storedKeys(of: requests.joined(), on: connection, logger: self.logger))
                let accounts = Set(requests.joined().map(\.content.account))
                try await self.state.loadHeads(of: accounts, on: connection, logger: self.logger)
                var rows = PostgresEventRows()
                let results = try requests.map { events in
                    try planner.plan(events, state: self.state, receivedAt: receivedAt, rows: &rows)
                }
                try await rows.insert(on: connection, logger: self.logger)
                return (results, receivedAt)
            }
            state.lastReceivedAt = receivedAt
            return results
        } catch {
            // The commit may or may not have happened: start from the database next time.
            state.invalidate()
            throw PostgresErrors.readable(error)
        }
    }

    /// Takes the writer lock and brings this node's cached state up to date under it.
    private func lock(_ connection: PostgresConnection) async throws {
        try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.writerLockKey))", logger: logger)
        try await state.synchronise(on: connection, logger: logger)
    }

    /// The idempotency keys the database holds for the events' (account, id) pairs, with the
    /// receipt of the event holding each.
    private static func storedKeys(of events: some Sequence<NewEvent>, on connection: PostgresConnection,
                                   logger: Logger) async throws -> [String: PostgresAppendPlanner.StoredKey] {
        var accounts: [String] = [], ids: [String] = []
        for event in events {
            guard let id = event.content.clientID else { continue }
            accounts.append(event.content.account)
            ids.append(id)
        }
        if ids.isEmpty { return [:] }
        let query: PostgresQuery = """
            SELECT k.account, k.client_id, k.seq, k.content_digest, e.account_seq, e.hash
            FROM unnest(\(accounts)::text[], \(ids)::text[]) AS q(account, client_id)
            JOIN idempotency_keys k ON k.account = q.account AND k.client_id = q.client_id
            JOIN events e ON e.seq = k.seq
            """
        var keys: [String: PostgresAppendPlanner.StoredKey] = [:]
        for (account, id, seq, digest, accountSeq, hash) in try await connection.rows(
            query, as: (String, String, Int64, ByteBuffer, Int64, ByteBuffer).self, logger: logger) {
            keys[PostgresAppendPlanner.key(account, id)] = PostgresAppendPlanner.StoredKey(
                digest: digest.byteArray,
                receipt: AppendReceipt(clientID: id, seq: UInt64(seq), accountSeq: UInt64(accountSeq),
                                       hash: MerkleHash(bytes: hash.readableBytesView) ?? StoredEvent.zeroHash, replayed: true))
        }
        return keys
    }

    /// Imports sealed events under the writer lock: they must continue the ledger exactly.
    private func commitImport(_ events: [CopiedEvent]) async throws {
        do {
            try await PostgresTransaction.run(pool, logger: logger) { connection in
                try await self.lock(connection)
                try await self.state.loadHeads(of: Set(events.map(\.event.content.account)), on: connection, logger: self.logger)
                var rows = PostgresEventRows()
                for event in events {
                    try self.appendSealed(event, to: &rows)
                }
                try await rows.insert(on: connection, logger: self.logger)
            }
            state.lastReceivedAt = events.last.map(\.event.receivedAt) ?? state.lastReceivedAt
        } catch {
            state.invalidate()
            throw PostgresErrors.readable(error)
        }
    }

    private func appendSealed(_ copied: CopiedEvent, to rows: inout PostgresEventRows) throws {
        let event = copied.event
        guard event.seq == state.nextSeq else { throw CopyError.notContiguous(expected: state.nextSeq, got: event.seq) }
        let canonical = event.canonicalBytes
        guard EventHash.leafHash(of: canonical) == event.hash else {
            throw CopyError.brokenEvent(seq: event.seq, reason: "its canonical bytes do not hash to its hash")
        }
        let head = state.head(of: event.content.account)
        guard event.accountSeq == head.accountSeq + 1, event.previousHash == head.hash else {
            throw CopyError.brokenEvent(seq: event.seq, reason: "it does not continue account \(event.content.account)'s chain")
        }
        if event.content.clientID != nil, copied.idempotencyDigest?.count != 32 {
            throw CopyError.brokenEvent(seq: event.seq, reason: "its client id comes without a 32-byte idempotency digest")
        }
        rows.add(event, canonical: canonical, contentDigest: copied.idempotencyDigest ?? [],
                 isNewName: state.noteName(event.content.name, account: event.content.account),
                 nodes: try state.frontier.append(leafHash: event.hash))
        state.advance(event.content.account, to: .init(accountSeq: event.accountSeq, hash: event.hash))
        state.lastReceivedAt = max(state.lastReceivedAt, event.receivedAt)
    }
}
