import GeoIP
import LedgerCore
import Synchronization
import Testing

@Suite struct GeoLookupCacheTests {
    /// Answers with the address's last byte as the accuracy radius, so every answer is
    /// distinguishable, and counts how often it was asked.
    final class CountingLocator: GeoLocating {
        let calls = Mutex(0)
        func locate(_ address: IPAddress) -> GeoResult {
            calls.withLock { $0 += 1 }
            return Self.answer(for: address)
        }
        static func answer(for address: IPAddress) -> GeoResult {
            GeoResult(status: .ok, location: GeoLocation(accuracyRadiusKm: UInt32(address.bytes.last!)))
        }
        var callCount: Int { calls.withLock { $0 } }
    }

    func address(_ text: String) -> IPAddress { IPAddress(text)! }

    @Test func leastRecentlyUsedEntryIsEvicted() {
        let cache = GeoLookupCache(capacity: 2, shardCount: 1)
        let (a, b, c) = (address("1.0.0.1"), address("1.0.0.2"), address("1.0.0.3"))
        cache.store(GeoResult(status: .notFound), for: a)
        cache.store(GeoResult(status: .notFound), for: b)
        #expect(cache.value(for: a) != nil)  // a is now more recent than b
        cache.store(GeoResult(status: .notFound), for: c)
        #expect(cache.value(for: b) == nil)
        #expect(cache.value(for: a) != nil)
        #expect(cache.value(for: c) != nil)
        #expect(cache.statistics == GeoLookupCache.Statistics(hits: 3, misses: 1, count: 2))
    }

    @Test func storingAnExistingKeyReplacesItsValueWithoutGrowing() {
        let cache = GeoLookupCache(capacity: 4, shardCount: 1)
        let a = address("2001:218::1")
        cache.store(GeoResult(status: .notFound), for: a)
        cache.store(GeoResult(status: .ok), for: a)
        #expect(cache.value(for: a) == GeoResult(status: .ok))
        #expect(cache.statistics.count == 1)
    }

    @Test func capacityIsNeverExceeded() {
        let cache = GeoLookupCache(capacity: 100, shardCount: 4)
        for index in 0..<1_000 {
            cache.store(GeoResult(status: .notFound), for: address("10.0.\(index / 256).\(index % 256)"))
        }
        #expect(cache.statistics.count <= 100)
        #expect(cache.statistics.count >= 90)
    }

    @Test func repeatedAddressIsAnsweredFromTheCache() {
        let base = CountingLocator()
        let locator = CachedGeoLocator(base: base, capacity: 10)
        let first = locator.locate(address("81.2.69.1"))
        #expect(locator.locate(address("81.2.69.1")) == first)
        #expect(locator.locate(address("::ffff:81.2.69.1")) == first)
        #expect(base.callCount == 1)
        _ = locator.locate(address("81.2.69.2"))
        #expect(base.callCount == 2)
    }

    @Test func ipv4AndIPv6WithTheSameLowBitsAreDifferentEntries() {
        let base = CountingLocator()
        let locator = CachedGeoLocator(base: base, capacity: 10)
        _ = locator.locate(address("1.2.3.4"))
        _ = locator.locate(address("::102:304"))
        #expect(base.callCount == 2)
    }

    @Test func concurrentUseAlwaysReturnsTheRightAnswer() async {
        let base = CountingLocator()
        let locator = CachedGeoLocator(base: base, capacity: 64)
        let addresses = (0..<256).map { address("192.0.2.\($0)") } + (0..<256).map { address("2001:db8::\($0)") }
        await withTaskGroup(of: Bool.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var allRight = true
                    for round in 0..<5_000 {
                        let address = addresses[(round * 7 + worker * 31) % addresses.count]
                        allRight = allRight && locator.locate(address) == CountingLocator.answer(for: address)
                    }
                    return allRight
                }
            }
            for await allRight in group { #expect(allRight) }
        }
        #expect(locator.cache.statistics.count <= 64)
    }
}
