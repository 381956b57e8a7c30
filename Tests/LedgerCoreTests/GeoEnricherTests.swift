import LedgerCore
import Synchronization
import Testing

@Suite struct GeoEnricherTests {
    /// Records every address it is asked about, so tests can prove which ones were never looked up.
    final class RecordingLocator: GeoLocating {
        let asked = Mutex<[IPAddress]>([])
        let answer: GeoResult

        init(answer: GeoResult) { self.answer = answer }

        func locate(_ address: IPAddress) -> GeoResult {
            asked.withLock { $0.append(address) }
            return answer
        }
    }

    static let berlin = GeoResult(status: .ok, location: GeoLocation(countryCode: "DE", city: "Berlin"))

    @Test func noAddressIsNoIP() {
        let locator = RecordingLocator(answer: Self.berlin)
        #expect(GeoEnricher(locator: locator).enrich(nil) == GeoResult(status: .noIP))
        #expect(locator.asked.withLock { $0.isEmpty })
    }

    @Test(arguments: ["10.1.2.3", "127.0.0.1", "::1", "fe80::1", "100.64.1.1", "::ffff:192.168.0.1", "2001:db8::5"])
    func specialPurposeIsPrivateWithoutLookup(text: String) throws {
        let locator = RecordingLocator(answer: Self.berlin)
        let result = GeoEnricher(locator: locator).enrich(try #require(IPAddress(text)))
        #expect(result == GeoResult(status: .private))
        #expect(locator.asked.withLock { $0.isEmpty })
    }

    @Test func specialPurposeIsPrivateEvenWithoutDatabase() throws {
        #expect(GeoEnricher(locator: nil).enrich(try #require(IPAddress("192.168.1.1"))).status == .private)
    }

    @Test func publicAddressWithoutDatabaseIsNoDatabase() throws {
        #expect(GeoEnricher(locator: nil).enrich(try #require(IPAddress("81.2.69.142"))) == GeoResult(status: .noDatabase))
    }

    @Test func publicAddressIsAskedOnceAndTheAnswerPassedThrough() throws {
        let locator = RecordingLocator(answer: Self.berlin)
        let address = try #require(IPAddress("2a02:cf40::1"))
        #expect(GeoEnricher(locator: locator).enrich(address) == Self.berlin)
        #expect(locator.asked.withLock { $0 } == [address])
    }

    @Test func notFoundFromTheLocatorIsKept() throws {
        let locator = RecordingLocator(answer: GeoResult(status: .notFound))
        #expect(GeoEnricher(locator: locator).enrich(try #require(IPAddress("1.1.1.1"))).status == .notFound)
    }
}
