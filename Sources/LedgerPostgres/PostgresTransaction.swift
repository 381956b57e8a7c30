import Logging
import PostgresNIO

/// A transaction on one pooled connection: BEGIN, the body, COMMIT; ROLLBACK when the body or
/// COMMIT fails, unless the server already ended the session.
///
/// Instead of `PostgresClient.withTransaction`: after the server terminates a backend (FATAL,
/// for instance `pg_terminate_backend` or a restart), postgres-nio 1.33 can leave a ROLLBACK
/// sent on that connection waiting forever. A writer must fail its callers instead, so that the
/// node carries on with a fresh connection.
enum PostgresTransaction {
    static func run<Result>(_ pool: PostgresPool, logger: Logger,
                            isolation: isolated (any Actor)? = #isolation,
                            _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await pool.withConnection(isolation: isolation) { connection in
            try await connection.execute("BEGIN", logger: logger)
            do {
                let result = try await body(connection)
                try await connection.execute("COMMIT", logger: logger)
                return result
            } catch {
                if !connection.isClosed && !endedSession(error) {
                    try? await connection.execute("ROLLBACK", logger: logger)
                }
                throw error
            }
        }
    }

    /// Whether `error` means the connection is gone (its transaction aborted with it).
    static func endedSession(_ error: Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        if let severity = error.serverInfo?[.severity], severity == "FATAL" || severity == "PANIC" { return true }
        return [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed]
            .contains(error.code)
    }
}
