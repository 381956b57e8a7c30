import Foundation
import LedgerCore
import Testing

/// Parses an address a test relies on, failing the test (not crashing) if it does not parse.
func ipAddress(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> IPAddress {
    try #require(IPAddress(text), sourceLocation: sourceLocation)
}

/// Where the tests find their databases, and scratch files for the ones they corrupt.
enum TestFiles {
    /// The repository root, found from this file's path so tests run from any directory.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // GeoIPTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let fixture = repositoryRoot.appendingPathComponent("fixtures/geo/AuditLedger-City-Test.mmdb").path

    /// MaxMind's reference databases (github.com/maxmind/MaxMind-DB), checked out beside the
    /// repository in CI; nil when absent, and the tests that need them are then skipped.
    static let sharedTestData: URL? = {
        let directory = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/geoip-test-data")
        return FileManager.default.fileExists(atPath: directory.path) ? directory : nil
    }()

    /// A fresh directory under the system temporary directory, removed by the caller.
    static func makeScratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("auditledger-geo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Writes `contents` beside `destination` and renames it over `destination`, which is how
    /// geoipupdate publishes a new database: readers see the old file or the new one, never half.
    static func atomicallyReplace(_ destination: URL, with contents: Data) throws {
        let staging = destination.deletingLastPathComponent().appendingPathComponent(".staging-\(UUID().uuidString)")
        try contents.write(to: staging)
        guard rename(staging.path, destination.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path])
        }
    }

    /// The fixture with every occurrence of `original` replaced by `replacement` of the same
    /// length: still a valid database, with visibly different data.
    static func fixtureReplacing(_ original: String, with replacement: String) throws -> Data {
        precondition(original.utf8.count == replacement.utf8.count, "same length keeps every offset valid")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture)))
        let needle = Array(original.utf8), substitute = Array(replacement.utf8)
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index..<(index + needle.count)].elementsEqual(needle) {
                bytes.replaceSubrange(index..<(index + needle.count), with: substitute)
                index += needle.count
            } else {
                index += 1
            }
        }
        return Data(bytes)
    }

    /// The fixture with its first search-tree node overwritten: the metadata still decodes, so
    /// libmaxminddb opens it, and only validation can tell it is corrupt.
    static func fixtureWithCorruptSearchTree() throws -> Data {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: fixture))
        bytes.replaceSubrange(0..<8, with: [UInt8](repeating: 0xff, count: 8))
        return bytes
    }
}
