import Foundation
import GeoIP
import LedgerCore
import Testing

/// Runs against MaxMind's reference databases in ../shared/geoip-test-data when present:
/// every network of the City test source data must read back as its JSON says, and every
/// broken database must be refused with an error, never a crash.
@Suite(.enabled(if: TestFiles.sharedTestData != nil, "../shared/geoip-test-data is not checked out"))
struct MaxMindConformanceTests {
    static var testData: URL { TestFiles.sharedTestData! }

    @Test(arguments: ["GeoIP2-City-Test", "GeoLite2-City-Test"])
    func everyNetworkReadsBackAsItsSourceRecord(name: String) throws {
        let database = try GeoIPDatabase(path: Self.testData.appendingPathComponent("test-data/\(name).mmdb").path)
        let source = try Data(contentsOf: Self.testData.appendingPathComponent("source-data/\(name).json"))
        let networks = try #require(try JSONSerialization.jsonObject(with: source) as? [[String: Any]])
        #expect(networks.count > 100)
        var checked = 0
        for entry in networks {
            for (network, record) in entry {
                let first = try #require(IPNetwork(network)?.firstAddress, "network \(network)")
                let expected = Self.expectedLocation(try #require(record as? [String: Any]), metadata: database.metadata)
                let actual = try database.lookup(first)
                #expect(actual == expected, "\(network) (looked up as \(first))")
                checked += 1
            }
        }
        #expect(checked == networks.count)
    }

    /// The fields the ledger stores, taken from a source-data record the way MaxMind documents them.
    static func expectedLocation(_ record: [String: Any], metadata: GeoIPMetadata) -> GeoLocation {
        func map(_ value: Any?) -> [String: Any]? { value as? [String: Any] }
        func english(_ value: Any?) -> String? { map(map(value)?["names"])?["en"] as? String }
        let subdivision = (record["subdivisions"] as? [Any])?.first
        let place = map(record["location"])
        return GeoLocation(
            countryCode: map(record["country"])?["iso_code"] as? String,
            country: english(record["country"]),
            subdivisionCode: map(subdivision)?["iso_code"] as? String,
            subdivision: english(subdivision),
            city: english(record["city"]),
            postalCode: map(record["postal"])?["code"] as? String,
            latitude: (place?["latitude"] as? NSNumber)?.doubleValue,
            longitude: (place?["longitude"] as? NSNumber)?.doubleValue,
            accuracyRadiusKm: (place?["accuracy_radius"] as? NSNumber)?.uint32Value,
            timeZone: place?["time_zone"] as? String,
            continentCode: map(record["continent"])?["code"] as? String,
            databaseType: metadata.databaseType,
            databaseBuildEpoch: metadata.buildEpoch)
    }

    static var badDatabases: [String] {
        let directory = TestFiles.sharedTestData?.appendingPathComponent("bad-data")
        let names = directory.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) } ?? []
        return names.filter { $0.hasSuffix(".mmdb") }.sorted().map { "bad-data/\($0)" }
            + ["GeoIP2-City-Test-Broken-Double-Format", "GeoIP2-City-Test-Invalid-Node-Count",
               "MaxMind-DB-test-broken-pointers-24", "MaxMind-DB-test-broken-search-tree-24"]
                .map { "test-data/\($0).mmdb" }
    }

    /// Structurally sound files in bad-data: they broke older readers (an empty array or map
    /// at the end of the metadata), so they are refused here only because they are not City
    /// databases. Every other bad file must fail on its structure even when any type is allowed.
    static let structurallySound: Set<String> = [
        "bad-data/libmaxminddb-empty-array-last-in-metadata.mmdb",
        "bad-data/libmaxminddb-empty-map-last-in-metadata.mmdb",
    ]

    @Test(arguments: badDatabases)
    func brokenDatabaseIsACleanError(relativePath: String) throws {
        let path = Self.testData.appendingPathComponent(relativePath).path
        let cityError = #expect(throws: GeoIPDatabaseError.self) { try GeoIPDatabase(path: path) }
        #expect(cityError?.path == path)
        #expect(cityError?.description.contains(path) == true)

        if Self.structurallySound.contains(relativePath) {
            _ = try GeoIPDatabase(path: path, requireCity: false)
        } else {
            let structuralError = #expect(throws: GeoIPDatabaseError.self) {
                try GeoIPDatabase(path: path, requireCity: false)
            }
            if case .notACityDatabase? = structuralError { Issue.record("\(relativePath) passed structural validation") }
        }
    }

    @Test func badDataDirectoryIsFullyCovered() {
        #expect(Self.badDatabases.count >= 25)
    }

    @Test(arguments: ["GeoIP2-Country-Test", "GeoLite2-ASN-Test"])
    func otherDatabaseTypesAreRefusedAsNotCity(name: String) {
        let path = Self.testData.appendingPathComponent("test-data/\(name).mmdb").path
        #expect(throws: GeoIPDatabaseError.notACityDatabase(path: path, databaseType: name.replacingOccurrences(of: "-Test", with: ""))) {
            try GeoIPDatabase(path: path)
        }
    }

    @Test func ipv6LookupInAnIPv4DatabaseIsNotFound() throws {
        let path = Self.testData.appendingPathComponent("test-data/MaxMind-DB-test-ipv4-24.mmdb").path
        let database = try GeoIPDatabase(path: path, requireCity: false)
        #expect(database.metadata.ipVersion == 4)
        #expect(database.locate(try ipAddress("2001:db8::1")) == GeoResult(status: .notFound))
    }
}

extension IPNetwork {
    /// The lowest address of the block (the source data's networks are not all aligned to it).
    var firstAddress: IPAddress? {
        let lower = range16.lower
        return IPAddress(bytes: address.isIPv4 ? Array(lower[12...]) : lower)
    }
}
