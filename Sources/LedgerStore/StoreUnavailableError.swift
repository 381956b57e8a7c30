/// The store cannot serve this call right now (its server is down, restarting, unreachable or
/// out of connections); the same call may succeed later. When the connection died during a
/// commit the append may still have been stored: a retry with the same event ids is then
/// answered from the stored events (idempotency), so retrying is always safe.
///
/// Backends throw it for outages rather than their own error types, so that the HTTP layer can
/// answer 503 (a load balancer retries on another node, a client later) without knowing which
/// backend is behind it.
public struct StoreUnavailableError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the backend saw, for logs and the CLI, e.g. "PostgreSQL: no connection within 5 seconds".
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
