import LedgerCore
import LedgerStore
import PostgresNIO

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
        guard let error = error as? PSQLError else { return error }
        if let info = error.serverInfo, let message = info[.message] {
            let code = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            let detail = info[.detail].map { ": \($0)" } ?? ""
            return PostgresLedgerError.server(message + detail + code)
        }
        return PostgresLedgerError.server("\(error.code)" + (error.underlying.map { ": \($0)" } ?? ""))
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
