import Foundation
import LedgerCore
import LedgerTestSupport
@testable import LedgerStore

/// A ledger with a signing identity and a checkpoint service, for the checkpoint, tamper and
/// backup tests.
struct SignedLedger {
    static let signer = try! NoteSigner(name: "ledger.test/checkpoints", seed: [UInt8](repeating: 3, count: 32))
    let test: TestLedger
    let service: CheckpointService
    var ledger: SQLiteLedger { test.ledger }

    init() async throws {
        test = try TestLedger()
        try await test.ledger.setIdentity(LedgerIdentity(signer: Self.signer))
        service = try await CheckpointService(repository: test.ledger, signer: Self.signer, clock: { FixedClock.start })
    }

    /// Appends `count` realistic events in atomic batches of `batchSize`.
    func append(_ count: Int, batchSize: Int = 10, seed: UInt64 = 1) async throws {
        try await ledger.appendRandomEvents(count, batchSize: batchSize, seed: seed)
    }

    /// Runs raw SQL on the file, as someone with write access to it could.
    func tamper(_ sql: String) throws {
        try SignedLedger.tamper(path: test.path, sql)
    }

    static func tamper(path: String, _ sql: String) throws {
        let connection = try SQLiteConnection(path: path)
        try connection.execute(sql)
    }
}
