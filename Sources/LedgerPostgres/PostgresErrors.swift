import LedgerCore
import LedgerStore
import PostgresNIO
import _ConnectionPoolModule

/// postgres-nio's errors print as a deliberately vague "PSQLError" (so that queries and data do
/// not leak into logs by accident); operators need the server's message and code instead.
enum PostgresErrors {
    /// `error` with the server's message when it came from PostgreSQL; the ledger's own errors
    /// (conflicts, copy and checkpoint refusals) pass through unchanged.
    static func readable(_ error: Error) -> Error {
        // withTransaction wraps what went wrong; the closure's own error is the one that matters.
        if let transaction = error as? PostgresTransactionError {
            if let cause = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
                return readable(cause)
            }
        }
        if let pool = error as? ConnectionPoolError, pool == .connectionCreationCircuitBreakerTripped {
            // After a minute of failed connection attempts postgres-nio's pool stops waiting and
            // fails every lease at once with this. The database is still the one that is gone:
            // without this, requests to a node whose database had been away a minute got 500s.
            return StoreUnavailableError("PostgreSQL: no connection for a minute; the pool keeps retrying")
        }
        guard let error = error as? PSQLError else { return error }
        let readable: PostgresLedgerError
        if let info = error.serverInfo, let message = info[.message] {
            let code = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            let detail = info[.detail].map { ": \($0)" } ?? ""
            readable = PostgresLedgerError.server(message + detail + code)
        } else {
            readable = PostgresLedgerError.server("\(error.code)" + (error.underlying.map { ": \($0)" } ?? ""))
        }
        return isOutage(error) ? StoreUnavailableError(readable.description) : readable
    }

    /// Whether `error` says the database is gone for now (the connection died, the server is
    /// shutting down, starting up or out of resources) rather than that the call was wrong:
    /// the caller should retry later, perhaps on another node.
    static func isOutage(_ error: PSQLError) -> Bool {
        if PostgresTransaction.endedSession(error) { return true }
        guard let state = error.serverInfo?[.sqlState] else { return false }
        // 08: connection exception; 53: insufficient resources; 57P01–57P03: admin or crash
        // shutdown, cannot connect now.
        return state.hasPrefix("08") || state.hasPrefix("53") || ["57P01", "57P02", "57P03"].contains(state)
    }

    /// Runs `body`, turning driver errors into readable ones.
    static func readable<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw readable(error) }
    }

    /// Runs a database call in a task of its own, with readable errors. A caller's cancellation
    /// (a scheduler signing its last checkpoint as it stops, a request whose client went away)
    /// then does not abort the call half way: the ledger finishes what it was asked, as the
    /// SQLite backend does, and the driver's lease waits are not cut short.
    static func completing<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task { try await readable(body) }.value
    }
}
