import LedgerCore

/// Answers repeated addresses from a `GeoLookupCache` and asks `base` only on a miss, without
/// holding any lock while `base` works. Audit traffic repeats addresses heavily (the same
/// users, services and office NATs), so most lookups never reach the database.
///
/// Sendable: both stored properties are Sendable.
public struct CachedGeoLocator: GeoLocating {
    public let base: any GeoLocating
    public let cache: GeoLookupCache

    public init(base: any GeoLocating, capacity: Int) {
        self.base = base
        self.cache = GeoLookupCache(capacity: capacity)
    }

    public func locate(_ address: IPAddress) -> GeoResult {
        if let cached = cache.value(for: address) { return cached }
        let result = base.locate(address)
        cache.store(result, for: address)
        return result
    }
}
