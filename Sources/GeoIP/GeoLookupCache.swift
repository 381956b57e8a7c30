import LedgerCore
import Synchronization

/// A bounded least-recently-used map from address to result, split into shards that each have
/// their own lock, so concurrent lookups for different addresses rarely wait on one another.
/// A lock is held only for the map operation, never while a database is consulted.
///
/// Sendable: all mutable state is inside `Mutex`es.
public final class GeoLookupCache: Sendable {
    public struct Statistics: Hashable, Sendable {
        public var hits = 0
        public var misses = 0
        public var count = 0

        public init(hits: Int = 0, misses: Int = 0, count: Int = 0) {
            self.hits = hits
            self.misses = misses
            self.count = count
        }
    }

    /// A class per shard because `Mutex` is not copyable and so cannot be an array element.
    private final class Shard: Sendable {
        let state: Mutex<LRUShard>
        init(capacity: Int) { state = Mutex(LRUShard(capacity: capacity)) }
    }

    private let shards: [Shard]

    /// `capacity` is the total across shards (each shard holds an equal part, at least one).
    public init(capacity: Int, shardCount: Int = 16) {
        precondition(capacity > 0 && shardCount > 0, "a cache needs room for at least one entry")
        let shardCount = min(shardCount, capacity)
        let perShard = (capacity + shardCount - 1) / shardCount
        shards = (0..<shardCount).map { _ in Shard(capacity: perShard) }
    }

    /// The cached result, refreshed as most recently used; counts a hit or a miss.
    public func value(for address: IPAddress) -> GeoResult? {
        let key = CacheKey(address)
        return shards[key.shardIndex(of: shards.count)].state.withLock { $0.value(for: key) }
    }

    public func store(_ result: GeoResult, for address: IPAddress) {
        let key = CacheKey(address)
        shards[key.shardIndex(of: shards.count)].state.withLock { $0.store(result, for: key) }
    }

    public var statistics: Statistics {
        shards.reduce(into: Statistics()) { total, shard in
            shard.state.withLock {
                total.hits += $0.hits
                total.misses += $0.misses
                total.count += $0.count
            }
        }
    }
}

/// An address as two integers: hashing and comparing it costs far less than a `[UInt8]`.
/// IPv4 is taken in its `::ffff:a.b.c.d` form, which no IPv6 `IPAddress` can have.
struct CacheKey: Hashable {
    let high: UInt64
    let low: UInt64

    init(_ address: IPAddress) {
        let bytes = address.bytes16
        var high: UInt64 = 0, low: UInt64 = 0
        for index in 0..<8 {
            high = high << 8 | UInt64(bytes[index])
            low = low << 8 | UInt64(bytes[index + 8])
        }
        self.high = high
        self.low = low
    }

    /// Mixes both halves so that addresses from one subnet spread over all shards.
    func shardIndex(of count: Int) -> Int {
        let mixed = (high ^ low &* 0x9E37_79B9_7F4A_7C15) >> 32
        return Int(mixed % UInt64(count))
    }
}

/// One shard: a dictionary into slot arrays threaded as a doubly linked recency list, so a hit,
/// an insert and an eviction are O(1) and the slots are reused instead of reallocated.
struct LRUShard {
    private let capacity: Int
    private var slotByKey: [CacheKey: Int] = [:]
    private var keys: [CacheKey] = []
    private var results: [GeoResult] = []
    private var newer: [Int] = []
    private var older: [Int] = []
    private var newest = -1
    private var oldest = -1
    private(set) var hits = 0
    private(set) var misses = 0

    var count: Int { keys.count }

    init(capacity: Int) {
        self.capacity = capacity
        slotByKey.reserveCapacity(capacity)
    }

    mutating func value(for key: CacheKey) -> GeoResult? {
        guard let slot = slotByKey[key] else {
            misses += 1
            return nil
        }
        hits += 1
        moveToNewest(slot)
        return results[slot]
    }

    mutating func store(_ result: GeoResult, for key: CacheKey) {
        if let slot = slotByKey[key] {
            results[slot] = result
            moveToNewest(slot)
            return
        }
        let slot: Int
        if keys.count < capacity {
            slot = keys.count
            keys.append(key)
            results.append(result)
            newer.append(-1)
            older.append(-1)
        } else {
            slot = oldest
            unlink(slot)
            slotByKey[keys[slot]] = nil
            keys[slot] = key
            results[slot] = result
        }
        slotByKey[key] = slot
        linkAsNewest(slot)
    }

    private mutating func moveToNewest(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        linkAsNewest(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let (before, after) = (older[slot], newer[slot])
        if before >= 0 { newer[before] = after } else { oldest = after }
        if after >= 0 { older[after] = before } else { newest = before }
        older[slot] = -1
        newer[slot] = -1
    }

    private mutating func linkAsNewest(_ slot: Int) {
        older[slot] = newest
        newer[slot] = -1
        if newest >= 0 { newer[newest] = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }
}
