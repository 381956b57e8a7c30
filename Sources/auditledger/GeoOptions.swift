import ArgumentParser
import Foundation
import GeoIP
import LedgerCore

/// `--geoip-db`, shared by every command that enriches or looks up addresses.
struct GeoOptions: ParsableArguments {
    static let environmentVariable = "AUDITLEDGER_GEOIP_DB"
    /// The project's own fictional test database. Used only when asked for (`serve --demo`, or
    /// by path): its made-up locations must never be hashed into a real ledger by default.
    static let fixturePath = "fixtures/geo/AuditLedger-City-Test.mmdb"

    @Option(name: .customLong("geoip-db"),
            help: ArgumentHelp("City database (.mmdb). Default: $\(environmentVariable); none if unset.",
                               valueName: "path"))
    var geoipDatabase: String?

    /// The database to use, or nil when none is configured (events then get `no_database`).
    var path: String? {
        if let geoipDatabase { return geoipDatabase }
        guard let configured = ProcessInfo.processInfo.environment[Self.environmentVariable], !configured.isEmpty else {
            return nil
        }
        return configured
    }

    /// Opens the database; a missing or corrupt file is a usage error (exit 2), never a crash.
    func openDatabase() throws -> GeoIPDatabase? {
        guard let path else { return nil }
        do {
            return try GeoIPDatabase(path: path)
        } catch {
            throw CLIFailure.usage(error.description)
        }
    }
}
