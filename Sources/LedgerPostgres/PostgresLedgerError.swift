/// Why a PostgreSQL ledger could not be opened or used, in words an operator can act on.
public enum PostgresLedgerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The store URL is not one of the accepted forms.
    case invalidURL(String, reason: String)
    /// The server could not be reached or refused the connection.
    case unreachable(String, reason: String)
    /// `create: false` and the database holds no ledger.
    case noLedger(String)
    /// The database was migrated by a newer auditledger.
    case schemaTooNew(found: Int, supported: Int)
    /// The server answered with an error.
    case server(String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            "invalid PostgreSQL URL \(url): \(reason) (expected postgres://user:password@host:port/database "
                + "or postgres:///database?host=/socket/dir&user=name)"
        case .unreachable(let target, let reason): "cannot connect to PostgreSQL at \(target): \(reason)"
        case .noLedger(let target): "no ledger in \(target), run auditledger init"
        case .schemaTooNew(let found, let supported):
            "database schema version \(found) is newer than this auditledger (\(supported)); upgrade auditledger"
        case .server(let message): "PostgreSQL: \(message)"
        }
    }
}
