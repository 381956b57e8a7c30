import Foundation
@testable import GeoIP
import LedgerCore
import Testing

/// The single-pass record reader must answer exactly what libmaxminddb's path lookups answer
/// (`PathCityRecordReader`), on good databases, on broken ones and on randomly damaged ones:
/// the same location, or a failure for both. And it must never crash.
@Suite struct ReaderEquivalenceTests {
    static func expectAgreement(_ path: String, minimumRecords: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let report = ReaderComparison.compare(path: path) else { return }  // libmaxminddb refused the file
        #expect(report.records >= minimumRecords, "\(path)", sourceLocation: sourceLocation)
        // The one intended difference: nesting past libmaxminddb's depth limit is refused even
        // where the installed libmaxminddb (1.7.1, no limit) reads through it.
        for mismatch in report.mismatches.filter({ !$0.isNestingLimit }).prefix(5) {
            Issue.record("\(path): \(mismatch)", sourceLocation: sourceLocation)
        }
    }

    @Test func fixtureRecordsAgree() throws {
        let report = try #require(ReaderComparison.compare(path: TestFiles.fixture))
        #expect(report.records > 5 && report.failures == 0 && report.mismatches.isEmpty)
    }

    @Test(.enabled(if: TestFiles.sharedTestData != nil), arguments: [
        "test-data/GeoIP2-City-Test.mmdb", "test-data/GeoLite2-City-Test.mmdb",
        "test-data/GeoIP2-Country-Test.mmdb", "test-data/GeoLite2-ASN-Test.mmdb",
        "test-data/MaxMind-DB-test-ipv4-24.mmdb", "test-data/MaxMind-DB-test-mixed-24.mmdb",
    ])
    func referenceDatabasesAgree(relativePath: String) throws {
        let path = TestFiles.sharedTestData!.appendingPathComponent(relativePath).path
        guard FileManager.default.fileExists(atPath: path) else { return }
        Self.expectAgreement(path)
    }

    @Test(.enabled(if: TestFiles.sharedTestData != nil)) func excessiveNestingIsRefused() throws {
        let path = TestFiles.sharedTestData!.appendingPathComponent("bad-data/libmaxminddb-deep-nesting.mmdb").path
        let report = try #require(ReaderComparison.compare(path: path))
        #expect(report.records > 0 && report.mismatches.allSatisfy { $0.isNestingLimit && $0.singlePass.hasPrefix("error") })
    }

    @Test(.enabled(if: TestFiles.sharedTestData != nil), arguments: MaxMindConformanceTests.badDatabases)
    func brokenDatabasesAgreeAndNeverCrash(relativePath: String) {
        Self.expectAgreement(TestFiles.sharedTestData!.appendingPathComponent(relativePath).path, minimumRecords: 0)
    }

    /// Random bytes of the fixture's tree and data section overwritten (the metadata left intact
    /// so libmaxminddb still opens the file), many times over.
    @Test func damagedFixturesAgreeAndNeverCrash() throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestFiles.fixture)))
        let marker = Array("\u{ab}\u{cd}\u{ef}MaxMind.com".unicodeScalars.map { UInt8($0.value) })
        let metadataStart = try #require((0...(original.count - marker.count)).last {
            original[$0..<($0 + marker.count)].elementsEqual(marker)
        })
        let directory = try TestFiles.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var random = SystemRandomNumberGenerator()
        var compared = 0, failed = 0
        for round in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + round % 8) {
                let index = Int.random(in: 0..<metadataStart, using: &random)
                bytes[index] = round % 3 == 0 ? UInt8.random(in: 0...255, using: &random) : bytes[index] ^ (1 << UInt8(round % 8))
            }
            let path = directory.appendingPathComponent("damaged-\(round).mmdb").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            guard let report = ReaderComparison.compare(path: path) else { continue }
            compared += report.records
            failed += report.failures
            for mismatch in report.mismatches.filter({ !$0.isNestingLimit }).prefix(3) {
                Issue.record("round \(round): \(mismatch)")
            }
            try? FileManager.default.removeItem(atPath: path)
        }
        #expect(compared > 1000)
        print("damaged fixtures: \(compared) records compared, \(failed) rejected by both readers")
    }
}
