import Foundation
import LedgerCore
import Testing
@testable import LedgerStore

/// What only the SQLite backend promises; the shared behaviour is in LedgerConformanceTests.
@Suite struct SQLiteLedgerTests {
    @Test func writerRunsWithSynchronousFull() throws {
        let test = try TestLedger()
        #expect(test.ledger.writerSynchronousLevel == 2)
    }

    @Test func openingAMissingLedgerWithoutCreateFails() {
        #expect(throws: LedgerOpenError.self) { try SQLiteLedger(path: "/nonexistent-dir/x.sqlite", create: false) }
    }
}
