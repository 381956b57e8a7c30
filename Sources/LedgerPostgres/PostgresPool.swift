import LedgerStore
import Logging
import PostgresNIO
import Synchronization

/// The ledger's pooled connections, with a bound on how long any call waits for one.
///
/// postgres-nio's pool waits for a free connection for as long as it takes, retrying to connect
/// with backoff while the database is down. A node must answer a request whose database is gone
/// (503, ``StoreUnavailableError``) instead of hanging until its client gives up, so every lease
/// here gives up after `leaseTimeout`. The bound is on getting a connection only: a query that
/// has one runs to its end however long it takes.
struct PostgresPool: PostgresQueryable {
    let client: PostgresClient
    let leaseTimeout: Duration

    /// Runs `body` on a leased connection, released when `body` returns.
    /// - Throws: ``StoreUnavailableError`` when no connection comes within `leaseTimeout`.
    func withConnection<Result>(isolation: isolated (any Actor)? = #isolation,
                                _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let lease = try await Lease.take(from: client, timeout: leaseTimeout)
        defer { lease.release() }
        return try await body(lease.connection)
    }

    func withRows<T>(_ query: PostgresQuery, logger: Logger, isolation: isolated (any Actor)? = #isolation,
                     _ consume: (PostgresRowSequence) async throws -> T) async throws -> T {
        try await withConnection { connection in try await consume(try await connection.query(query, logger: logger)) }
    }
}

/// One connection held for a caller by a task of its own: `PostgresClient` hands connections
/// out only inside its `withConnection` closure, and that closure cannot be raced against a
/// timer without cancelling what runs inside it. The holder task instead passes the connection
/// out and keeps the lease open until the caller releases it; if the timer wins, the holder is
/// cancelled while it still waits, which withdraws its request from the pool.
private final class Lease: Sendable {
    private enum State {
        case inUse
        case holderWaiting(CheckedContinuation<Void, Never>)
        case released
    }

    let connection: PostgresConnection
    private let state = Mutex<State>(.inUse)

    private init(connection: PostgresConnection) {
        self.connection = connection
    }

    static func take(from client: PostgresClient, timeout: Duration) async throws -> Lease {
        let handoff = Handoff()
        let holder = Task {
            do {
                try await client.withConnection { connection in
                    let lease = Lease(connection: connection)
                    // Too late: the caller already gave up; give the connection straight back.
                    guard handoff.deliver(lease) else { return }
                    await lease.untilReleased()
                }
            } catch {
                handoff.fail(error)
            }
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            if handoff.fail(StoreUnavailableError("PostgreSQL: no connection within \(timeout)")) { holder.cancel() }
        }
        defer { timer.cancel() }
        return try await handoff.value()
    }

    /// The holder's side: returns once the caller released the connection.
    private func untilReleased() async {
        await withCheckedContinuation { continuation in
            let releasedAlready = state.withLock { state -> Bool in
                guard case .inUse = state else { return true }
                state = .holderWaiting(continuation)
                return false
            }
            if releasedAlready { continuation.resume() }
        }
    }

    func release() {
        let holder = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state = .released }
            if case .holderWaiting(let continuation) = state { return continuation }
            return nil
        }
        holder?.resume()
    }
}

/// The first of a delivered lease or a failure reaches the caller; the loser learns it lost.
private final class Handoff: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Lease, Error>)
        case delivered(Lease)
        case failed(Error)
        case finished
    }

    private let state = Mutex<State>(.empty)

    func value() async throws -> Lease {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Lease, Error>? in
                switch state {
                case .empty:
                    state = .waiting(continuation)
                    return nil
                case .delivered(let lease):
                    state = .finished
                    return .success(lease)
                case .failed(let error):
                    state = .finished
                    return .failure(error)
                case .waiting, .finished:
                    preconditionFailure("a lease handoff is awaited once")
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Whether the caller gets `lease` (false: it already had a failure).
    func deliver(_ lease: Lease) -> Bool {
        settle(.success(lease))
    }

    /// Whether the caller gets `error` (false: it already had a lease or another failure).
    @discardableResult
    func fail(_ error: Error) -> Bool {
        settle(.failure(error))
    }

    private func settle(_ result: Result<Lease, Error>) -> Bool {
        let (won, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Lease, Error>?) in
            switch state {
            case .empty:
                switch result {
                case .success(let lease): state = .delivered(lease)
                case .failure(let error): state = .failed(error)
                }
                return (true, nil)
            case .waiting(let continuation):
                state = .finished
                return (true, continuation)
            case .delivered, .failed, .finished:
                return (false, nil)
            }
        }
        waiter?.resume(with: result)
        return won
    }
}
