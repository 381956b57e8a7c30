import Foundation
import LedgerCore
import LedgerTestSupport
@testable import LedgerStore

/// A ledger in a fresh temporary directory, removed when the test ends.
final class TestLedger: @unchecked Sendable {
    let directory: URL
    let path: String
    let ledger: SQLiteLedger

    init(options: SQLiteLedger.Options = SQLiteLedger.Options(), clock: @escaping @Sendable () -> Timestamp = { FixedClock.start }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("auditledger-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("ledger.sqlite").path
        ledger = try SQLiteLedger(path: path, options: options, clock: clock)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}
