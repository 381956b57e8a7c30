import Foundation
import LedgerCore

extension SQLiteLedger {
    public func export(_ request: ExportRequest) async throws -> any EventExportCursor {
        let readers = self.readers
        return try await readers.run {
            let connection = try readers.openStreamingConnection()
            // One read transaction for the whole export: a consistent snapshot however long it takes.
            try connection.execute("BEGIN DEFERRED")
            let first = try Self.firstAccountSeq(receivedFrom: request.receivedFrom, account: request.account, connection)
            return SQLiteExportCursor(connection: connection, pool: readers, request: request, nextAccountSeq: first)
        }
    }

    /// The first `account_seq` received at or after `from`. `received_at` never decreases along
    /// the chain, so a binary search over point lookups finds it in O(log n) whatever the size.
    static func firstAccountSeq(receivedFrom from: Timestamp?, account: String, _ connection: SQLiteConnection) throws -> UInt64 {
        guard let from else { return 1 }
        let last = try connection.statement("SELECT coalesce(max(account_seq), 0) FROM events WHERE account = ?")
        try last.bind(1, account)
        _ = try last.step()
        var high = UInt64(last.int64(0)) + 1
        last.reset()
        var low: UInt64 = 1
        let probe = try connection.statement("SELECT received_at FROM events WHERE account = ? AND account_seq = ?")
        while low < high {
            let middle = low + (high - low) / 2
            try probe.bind(1, account)
            try probe.bind(2, Int64(middle))
            let received = try probe.step() ? probe.int64(0) : Int64.max
            probe.reset()
            if received < from.microseconds { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Streams one account's chain from a held read snapshot, a page of rows at a time.
///
/// `@unchecked Sendable`: calls are serialised by `lock`, and the connection is used only
/// inside it, on a reader thread. The connection is the cursor's own: closing the cursor (or
/// dropping it) closes the connection, which ends its read transaction.
final class SQLiteExportCursor: EventExportCursor, @unchecked Sendable {
    private let lock = NSLock()
    private var connection: SQLiteConnection?
    private let pool: ConnectionPool
    private let request: ExportRequest
    private var nextAccountSeq: UInt64
    private var done = false

    init(connection: SQLiteConnection, pool: ConnectionPool, request: ExportRequest, nextAccountSeq: UInt64) {
        self.connection = connection
        self.pool = pool
        self.request = request
        self.nextAccountSeq = nextAccountSeq
    }

    func next(_ count: Int) async throws -> [StoredEvent] {
        try await pool.run { [self] in try lock.withLock { try nextBlocking(count) } }
    }

    private func nextBlocking(_ count: Int) throws -> [StoredEvent] {
        guard !done, let connection else { return [] }
        let statement = try connection.statement("""
            SELECT received_at, canonical FROM events
            WHERE account = ? AND account_seq >= ? ORDER BY account_seq LIMIT ?
            """)
        try statement.bind(1, request.account)
        try statement.bind(2, Int64(nextAccountSeq))
        try statement.bind(3, Int64(count))
        defer { statement.reset() }
        var events: [StoredEvent] = []
        while try statement.step() {
            if let to = request.receivedTo, statement.int64(0) >= to.microseconds {
                done = true
                break
            }
            let event = try SQLiteLedger.decode(statement.blob(1))
            events.append(event)
            nextAccountSeq = event.accountSeq + 1
        }
        if events.count < count { done = true }
        return events
    }

    func close() async {
        lock.withLock { connection = nil }
    }
}
