import LedgerCore
import Synchronization

/// Serves lookups from the City database at `path` and switches to a new one when the file is
/// replaced (as `geoipupdate` does, by atomic rename), without a restart.
///
/// - Lookups take one short lock to read the current database and then run without any lock.
///   A lookup that started on the old database finishes on it: it holds a strong reference, and
///   the old database is closed only when the last such reference is released.
/// - At most every `checkInterval`, one lookup notices that a check is due and starts it in a
///   detached task; the check (`stat`, and on change a full open and validation) never runs on
///   the lookup path. `checkForUpdate()` runs one synchronously, for timers and tests.
/// - A replacement that fails validation is reported through `onEvent` and remembered, so it is
///   not re-validated on every check; the old database keeps serving.
/// - Each database gets its own cache, so no answer from the old file outlives the swap.
///
/// Sendable: mutable state is in a `Mutex` and an `Atomic`; everything else is immutable.
public final class ReloadingGeoLocator: GeoLocating, Sendable {
    public enum CheckOutcome: Sendable, Equatable {
        case unchanged
        case reloaded
        case rejected
        case fileUnavailable
        /// Another check was running; this one did nothing.
        case alreadyChecking
    }

    /// Entries in each database's cache unless the caller says otherwise. An entry costs a few
    /// hundred bytes: going from 100,000 entries to 16,384 lowered the server's peak under batch
    /// load by about 24 MiB. On the benchmark's addresses 4,096 entries answer 52% of lookups
    /// against 71% for 100,000, and a miss costs about a microsecond more than a hit
    /// (Benchmarks/PROFILES.md, "Server memory under load").
    public static let defaultCacheCapacity = 4_096

    /// One loaded database with the cache of its own answers.
    private struct Generation: Sendable {
        let database: GeoIPDatabase
        let locator: CachedGeoLocator
        let identity: FileIdentity
    }

    private struct State: Sendable {
        var current: Generation
        var rejectedIdentity: FileIdentity?
        var nextCheck: ContinuousClock.Instant
    }

    public let path: String
    private let checkInterval: Duration
    private let cacheCapacity: Int
    private let requireCity: Bool
    private let now: @Sendable () -> ContinuousClock.Instant
    private let onEvent: @Sendable (GeoIPReloadEvent) -> Void
    private let state: Mutex<State>
    private let checking = Atomic<Bool>(false)

    /// Opens `path` now and throws if it is unusable: a bad database is a startup error.
    /// `now` is injectable so tests decide when a check is due.
    public init(
        path: String,
        checkInterval: Duration = .seconds(60),
        cacheCapacity: Int = defaultCacheCapacity,
        requireCity: Bool = true,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        onEvent: @escaping @Sendable (GeoIPReloadEvent) -> Void = { _ in }
    ) throws(GeoIPDatabaseError) {
        self.path = path
        self.checkInterval = checkInterval
        self.cacheCapacity = cacheCapacity
        self.requireCity = requireCity
        self.now = now
        self.onEvent = onEvent
        let identity: FileIdentity
        do {
            identity = try FileIdentity(path: path)
        } catch {
            throw .cannotOpen(path: path, reason: error.reason)
        }
        let first = try Self.load(path: path, identity: identity, cacheCapacity: cacheCapacity,
                                  requireCity: requireCity, onEvent: onEvent)
        state = Mutex(State(current: first, rejectedIdentity: nil, nextCheck: now() + checkInterval))
    }

    /// The database currently serving lookups.
    public var database: GeoIPDatabase { state.withLock { $0.current.database } }

    public var cacheStatistics: GeoLookupCache.Statistics {
        state.withLock { $0.current.locator.cache.statistics }
    }

    public func locate(_ address: IPAddress) -> GeoResult {
        let instant = now()
        let (generation, checkDue) = state.withLock { state in
            guard instant >= state.nextCheck else { return (state.current, false) }
            state.nextCheck = instant + checkInterval
            return (state.current, true)
        }
        if checkDue {
            Task.detached(priority: .utility) { [self] in _ = self.checkForUpdate() }
        }
        return generation.locator.locate(address)
    }

    /// Looks at the file now and swaps to it if it was replaced and is valid.
    @discardableResult
    public func checkForUpdate() -> CheckOutcome {
        guard checking.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return .alreadyChecking
        }
        defer { checking.store(false, ordering: .releasing) }

        let identity: FileIdentity
        do {
            identity = try FileIdentity(path: path)
        } catch {
            onEvent(.fileUnavailable(path: path, reason: error.reason))
            return .fileUnavailable
        }
        let isNew = state.withLock { identity != $0.current.identity && identity != $0.rejectedIdentity }
        guard isNew else { return .unchanged }
        do {
            let next = try Self.load(path: path, identity: identity, cacheCapacity: cacheCapacity,
                                     requireCity: requireCity, onEvent: onEvent)
            state.withLock {
                $0.current = next
                $0.rejectedIdentity = nil
            }
            onEvent(.reloaded(path: path, metadata: next.database.metadata))
            return .reloaded
        } catch {
            state.withLock { $0.rejectedIdentity = identity }
            onEvent(.rejected(error))
            return .rejected
        }
    }

    /// `identity` is taken before opening: if the file is replaced again while it is being
    /// opened, the next check sees a different identity and loads the newer file.
    private static func load(
        path: String, identity: FileIdentity, cacheCapacity: Int, requireCity: Bool,
        onEvent: @escaping @Sendable (GeoIPReloadEvent) -> Void
    ) throws(GeoIPDatabaseError) -> Generation {
        let database = try GeoIPDatabase(path: path, requireCity: requireCity)
        let reporting = ReportingDatabaseLocator(database: database, onEvent: onEvent)
        return Generation(
            database: database, locator: CachedGeoLocator(base: reporting, capacity: cacheCapacity), identity: identity)
    }
}

/// Looks up in a database and reports corrupt records instead of silently answering not found.
struct ReportingDatabaseLocator: GeoLocating {
    let database: GeoIPDatabase
    let onEvent: @Sendable (GeoIPReloadEvent) -> Void

    func locate(_ address: IPAddress) -> GeoResult {
        do {
            guard let location = try database.lookup(address) else { return GeoResult(status: .notFound) }
            return GeoResult(status: .ok, location: location)
        } catch {
            onEvent(.lookupFailed(error))
            return GeoResult(status: .notFound)
        }
    }
}
