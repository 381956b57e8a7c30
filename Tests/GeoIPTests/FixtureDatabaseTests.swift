import Foundation
import GeoIP
import LedgerCore
import Testing

/// Every field and status on the project's own fixture (fixtures/geo/AuditLedger-City-Test.json).
@Suite struct FixtureDatabaseTests {
    let database: GeoIPDatabase

    init() throws {
        database = try GeoIPDatabase(path: TestFiles.fixture)
    }

    static let london = GeoLocation(
        countryCode: "GB", country: "United Kingdom", subdivisionCode: "ENG", subdivision: "England",
        city: "London", postalCode: "EC1A", latitude: 51.5142, longitude: -0.0931, accuracyRadiusKm: 10,
        timeZone: "Europe/London", continentCode: "EU", databaseType: "GeoLite2-City", databaseBuildEpoch: 1_735_689_600)

    @Test func metadataIsRead() {
        #expect(database.metadata.databaseType == "GeoLite2-City")
        #expect(database.metadata.buildEpoch == 1_735_689_600)
        #expect(database.metadata.ipVersion == 6)
    }

    @Test(arguments: ["81.2.69.1", "81.2.69.255", "::ffff:81.2.69.7", "2a02:c7c::1", "2a02:c7c:ffff::9"])
    func londonHasEveryField(text: String) throws {
        let result = database.locate(try ipAddress(text))
        #expect(result == GeoResult(status: .ok, location: Self.london))
    }

    @Test(arguments: [
        ("89.160.20.1", "DE", "BE", "Land Berlin", "Berlin", "10115", "Europe/Berlin"),
        ("2a01:238::1", "DE", "BE", "Land Berlin", "Berlin", "10115", "Europe/Berlin"),
        ("2.2.3.4", "FR", "IDF", "Île-de-France", "Paris", "75001", "Europe/Paris"),
        ("2a01:e00::1", "FR", "IDF", "Île-de-France", "Paris", "75001", "Europe/Paris"),
        ("216.160.83.10", "US", "NY", "New York", "New York", "10001", "America/New_York"),
        ("2600:1000::1", "US", "NY", "New York", "New York", "10001", "America/New_York"),
        ("175.16.199.1", "JP", "13", "Tokyo", "Tokyo", "100-0001", "Asia/Tokyo"),
        ("2001:218::1", "JP", "13", "Tokyo", "Tokyo", "100-0001", "Asia/Tokyo"),
        ("200.160.15.255", "BR", "SP", "São Paulo", "São Paulo", "01000-000", "America/Sao_Paulo"),
        ("2804:14c::1", "BR", "SP", "São Paulo", "São Paulo", "01000-000", "America/Sao_Paulo"),
    ])
    func citiesOfBothFamilies(
        text: String, country: String, subdivisionCode: String, subdivision: String, city: String,
        postalCode: String, timeZone: String
    ) throws {
        let result = database.locate(try ipAddress(text))
        #expect(result.status == .ok)
        let location = try #require(result.location)
        #expect(location.countryCode == country)
        #expect(location.subdivisionCode == subdivisionCode)
        #expect(location.subdivision == subdivision)
        #expect(location.city == city)
        #expect(location.postalCode == postalCode)
        #expect(location.timeZone == timeZone)
        #expect(location.latitude != nil && location.longitude != nil && location.accuracyRadiusKm != nil)
        #expect(location.databaseType == "GeoLite2-City")
    }

    @Test func englishNamesAreChosenAmongLanguages() throws {
        let location = try #require(database.locate(try ipAddress("2.2.3.4")).location)
        #expect(location.country == "France")
        #expect(location.city == "Paris")
        let tokyo = try #require(database.locate(try ipAddress("175.16.199.1")).location)
        #expect(tokyo.continentCode == "AS")
        #expect(tokyo.country == "Japan")
        #expect(tokyo.latitude == 35.6895)
        #expect(tokyo.longitude == 139.6917)
        #expect(tokyo.accuracyRadiusKm == 50)
    }

    @Test(arguments: ["67.43.156.1", "2a02:aa8::1"])
    func countryOnlyNetworkHasNoCityFields(text: String) throws {
        let result = database.locate(try ipAddress(text))
        #expect(result == GeoResult(status: .ok, location: GeoLocation(
            countryCode: "CH", country: "Switzerland", continentCode: "EU",
            databaseType: "GeoLite2-City", databaseBuildEpoch: 1_735_689_600)))
    }

    @Test(arguments: ["8.8.8.8", "81.2.70.0", "2001:4860:4860::8888", "2a02:c7d::1", "::ffff:1.1.1.1"])
    func publicAddressWithoutRecordIsNotFound(text: String) throws {
        let address = try ipAddress(text)
        #expect(database.locate(address) == GeoResult(status: .notFound))
        #expect(try database.lookup(address) == nil)
    }

    @Test func enricherUsesTheDatabaseOnlyForPublicAddresses() throws {
        let enricher = GeoEnricher(locator: database)
        #expect(enricher.enrich(try ipAddress("81.2.69.1")) == GeoResult(status: .ok, location: Self.london))
        #expect(enricher.enrich(try ipAddress("192.168.0.1")) == GeoResult(status: .private))
        #expect(enricher.enrich(try ipAddress("8.8.8.8")) == GeoResult(status: .notFound))
        #expect(enricher.enrich(nil) == GeoResult(status: .noIP))
    }

    @Test func missingFileIsACleanError() {
        #expect {
            try GeoIPDatabase(path: "/nonexistent/GeoLite2-City.mmdb")
        } throws: { error in
            guard case .cannotOpen(let path, let reason)? = error as? GeoIPDatabaseError else { return false }
            return path == "/nonexistent/GeoLite2-City.mmdb" && reason.contains("No such file")
        }
    }

    @Test func corruptSearchTreeIsFoundAtOpen() throws {
        let directory = try TestFiles.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("corrupt.mmdb")
        try TestFiles.fixtureWithCorruptSearchTree().write(to: path)
        #expect {
            try GeoIPDatabase(path: path.path)
        } throws: { error in
            guard case .corruptSearchTree? = error as? GeoIPDatabaseError else { return false }
            return true
        }
    }

    /// Validation reads the whole file; the server's resident set should hold only what lookups
    /// touch (BENCHMARKS.md, B2 memory). After opening, none of the mapping is resident; a
    /// lookup faults back in what it reads and still answers from the file.
    @Test func theValidatedFileIsNotKeptResident() throws {
        let directory = try TestFiles.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("resident.mmdb").path
        try FileManager.default.copyItem(atPath: TestFiles.fixture, toPath: path)
        let database = try GeoIPDatabase(path: path)
        #expect(try Self.residentKiB(ofMappingOf: path) == 0)
        #expect(try database.lookup(try ipAddress("81.2.69.1")) == Self.london)
        #expect(try Self.residentKiB(ofMappingOf: path) > 0)
    }

    /// The `Rss` of the process's mappings of `path`, from /proc/self/smaps.
    static func residentKiB(ofMappingOf path: String) throws -> Int {
        // Read to the end: /proc files report a size of 0, which String(contentsOfFile:) trusts.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let smaps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        var inMapping = false
        var total = 0
        var found = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), first.first?.isHexDigit == true {
                inMapping = fields.last.map(String.init) == path
                found = found || inMapping
            } else if inMapping, fields.first == "Rss:", fields.count >= 2, let kib = Int(fields[1]) {
                total += kib
            }
        }
        #expect(found, "no mapping of \(path)")
        return total
    }
}
