import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a new, empty ledger and its checkpoint signing key.",
        discussion: """
            The Ed25519 signing key is written to the key file (mode 0600) and never overwritten; \
            the ledger records its origin and public key. Keep a copy of the key file somewhere \
            safe: it is not in the database or its backups. Running init on a ledger that has no \
            key yet creates one.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var keyOptions: LedgerKeyOptions
    @Option(help: "The ledger's origin: the name on its checkpoints and key (default: auditledger.local/<8 random hex>).")
    var origin: String?

    func run() async throws {
        let keyPath = try keyOptions.path(ledger)
        // A new ledger never adopts a key file that is already there: refuse before creating it.
        // (A PostgreSQL ledger without an identity is refused the same way below, when creating the key.)
        if let file = try ledger.location().sqlitePath,
           !FileManager.default.fileExists(atPath: file), FileManager.default.fileExists(atPath: keyPath) {
            throw CLIFailure.usage(LedgerKeyError.exists(keyPath).description)
        }
        try await ledger.withLedger(create: true) { store in
            if let identity = try await store.identity() {
                if origin != nil, origin != identity.origin {
                    throw CLIFailure.usage("the ledger's origin is already \(identity.origin)")
                }
                let status = try await store.status()
                print("Ledger ready at \(ledger.path) (\(status.events) events), origin \(identity.origin).")
                if !FileManager.default.fileExists(atPath: keyPath) {
                    StandardError.write("warning: no key file at \(keyPath): checkpoints cannot be signed until it is restored\n")
                }
                return
            }
            let signer: NoteSigner
            do {
                signer = try NoteSigner.generate(name: origin ?? Self.randomOrigin())
            } catch {
                throw CLIFailure.usage("--origin \(origin ?? "") is not a valid key name (no spaces, no +): \(error)")
            }
            do {
                try LedgerKeyFile.create(at: keyPath, signer: signer)
            } catch {
                throw CLIFailure.usage("\(error)")
            }
            try await store.setIdentity(LedgerIdentity(signer: signer))
            let status = try await store.status()
            print("Ledger ready at \(ledger.path) (\(status.events) events).")
            print("Signing key written to \(keyPath) (keep a copy somewhere safe).")
            print("Verifier key: \(signer.verifier.verifierKey)")
        }
    }

    static func randomOrigin() -> String {
        "auditledger.local/" + (0..<4).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
