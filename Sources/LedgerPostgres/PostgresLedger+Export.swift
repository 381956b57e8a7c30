import LedgerCore
import LedgerStore
import Logging
import PostgresNIO

extension PostgresLedger {
    /// An account's chain in keyset pages on (account, account_seq). Rows never change, so
    /// fixing the last `account_seq` at the start gives the export a consistent snapshot without
    /// holding a transaction (or a pooled connection) open between pages.
    public func export(_ request: ExportRequest) async throws -> any EventExportCursor {
        try await PostgresErrors.completing { [self] in
            let last = try await pool.scalar(
                "SELECT coalesce(max(account_seq), 0)::bigint FROM events WHERE account = \(request.account)",
                as: Int64.self, logger: logger) ?? 0
            let first = try await firstAccountSeq(receivedFrom: request.receivedFrom, account: request.account, last: UInt64(last))
            return PostgresExportCursor(pool: pool, logger: logger, request: request, next: first, last: UInt64(last))
        }
    }

    /// The first `account_seq` received at or after `from`: `received_at` never decreases along
    /// the chain, so a binary search over point lookups finds it whatever the account's size.
    private func firstAccountSeq(receivedFrom from: Timestamp?, account: String, last: UInt64) async throws -> UInt64 {
        guard let from else { return 1 }
        var low: UInt64 = 1, high = last + 1
        while low < high {
            let middle = low + (high - low) / 2
            let received = try await pool.scalar(
                "SELECT received_at FROM events WHERE account = \(account) AND account_seq = \(Int64(middle))",
                as: Int64.self, logger: logger) ?? Int64.max
            if received < from.microseconds { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Streams one account's chain up to the `account_seq` it started at, a page per call.
actor PostgresExportCursor: EventExportCursor {
    private let pool: PostgresPool
    private let logger: Logger
    private let request: ExportRequest
    private var next: UInt64
    private let last: UInt64
    private var done = false

    init(pool: PostgresPool, logger: Logger, request: ExportRequest, next: UInt64, last: UInt64) {
        self.pool = pool
        self.logger = logger
        self.request = request
        self.next = next
        self.last = last
    }

    func next(_ count: Int) async throws -> [StoredEvent] {
        guard !done, next <= last, count > 0 else { return [] }
        let query: PostgresQuery = """
            SELECT received_at, canonical FROM events
            WHERE account = \(request.account) AND account_seq >= \(Int64(next)) AND account_seq <= \(Int64(last))
            ORDER BY account_seq LIMIT \(Int64(count))
            """
        var events: [StoredEvent] = []
        for (receivedAt, canonical) in try await PostgresErrors.completing({ [self] in
            try await pool.rows(query, as: (Int64, ByteBuffer).self, logger: logger)
        }) {
            if let to = request.receivedTo, receivedAt >= to.microseconds {
                done = true
                break
            }
            let event = try PostgresLedger.decode(canonical)
            events.append(event)
            next = event.accountSeq + 1
        }
        if events.count < count { done = true }
        return events
    }

    func close() async { done = true }
}
