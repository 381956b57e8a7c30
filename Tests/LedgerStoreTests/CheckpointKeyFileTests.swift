import Foundation
import LedgerCore
import LedgerStore
import Testing

@Suite final class CheckpointKeyFileTests {
    let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("auditledger-key-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    deinit { try? FileManager.default.removeItem(at: directory) }

    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func createsAnOwnerOnlyFileAndNeverOverwritesIt() throws {
        let path = directory.appendingPathComponent("ledger.key").path
        let signer = try NoteSigner.generate(name: "auditledger.local/0badcafe")
        try LedgerKeyFile.create(at: path, signer: signer)
        #expect(try mode(path) == 0o600)
        let loaded = try LedgerKeyFile.load(from: path)
        #expect(loaded.signer.signerKey == signer.signerKey)
        #expect(loaded.warnings.isEmpty)
        #expect(throws: LedgerKeyError.exists(path)) {
            try LedgerKeyFile.create(at: path, signer: try NoteSigner.generate(name: "other"))
        }
        #expect(try LedgerKeyFile.load(from: path).signer.signerKey == signer.signerKey)
    }

    @Test func loadingWarnsAboutLoosePermissionsAndRejectsBadFiles() throws {
        let path = directory.appendingPathComponent("ledger.key").path
        try LedgerKeyFile.create(at: path, signer: try NoteSigner.generate(name: "auditledger.local/1"))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(try LedgerKeyFile.load(from: path).warnings.first?.contains("chmod 600") == true)

        let missing = directory.appendingPathComponent("none.key").path
        #expect(throws: LedgerKeyError.missing(missing)) { try LedgerKeyFile.load(from: missing) }
        let garbage = directory.appendingPathComponent("garbage.key").path
        try Data("PRIVATE+KEY+name+00000000+AAAA\n".utf8).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: LedgerKeyError.self) { try LedgerKeyFile.load(from: garbage) }
        do {
            _ = try LedgerKeyFile.load(from: garbage)
        } catch {
            guard case .malformed = error else { Issue.record("expected malformed, got \(error)"); return }
        }
    }

    @Test func thePathComesFromTheFlagTheEnvironmentOrTheDatabase() {
        #expect(LedgerKeyFile.path(explicit: "/k", databasePath: "/d.sqlite", environment: ["AUDITLEDGER_KEY": "/e"]) == "/k")
        #expect(LedgerKeyFile.path(explicit: nil, databasePath: "/d.sqlite", environment: ["AUDITLEDGER_KEY": "/e"]) == "/e")
        #expect(LedgerKeyFile.path(explicit: nil, databasePath: "/d.sqlite", environment: [:]) == "/d.sqlite.key")
    }
}
