import ArgumentParser
import Foundation
import GeoIP
import LedgerCore

/// `auditledger geo …`: look at what the configured City database says, as ingest would.
struct GeoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geo",
        abstract: "Inspect IP geolocation with the configured City database.",
        subcommands: [Lookup.self])

    struct Lookup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Look up one IP address the way ingest enriches it.",
            discussion: """
                Exit status: 0 located (or a special-purpose address, never looked up), \
                1 not found, 2 bad address or unusable database.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, json
        }

        @Argument(help: "An IPv4 or IPv6 address.")
        var ip: String

        @OptionGroup var geo: GeoOptions

        @Option(help: "Output format.")
        var format: Format = .table

        func run() throws {
            guard let address = IPAddress(ip) else { fail("not an IP address: \(ip)") }
            guard let path = geo.path else {
                fail("no City database: pass --geoip-db PATH or set \(GeoOptions.environmentVariable)")
            }
            let database: GeoIPDatabase
            do {
                database = try GeoIPDatabase(path: path)
            } catch {
                fail(error.description)
            }
            let result = GeoEnricher(locator: database).enrich(address)
            switch format {
            case .table: print(Self.table(address: address, result: result))
            case .json: print(try Self.json(address: address, result: result))
            }
            if result.status == .notFound { throw ExitCode(1) }
        }

        private func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            Self.exit(withError: ExitCode(2))
        }

        static func table(address: IPAddress, result: GeoResult) -> String {
            let location = result.location
            var rows: [(String, String?)] = [("ip", address.description), ("status", result.status.name)]
            if result.status == .private { rows.append(("range", address.specialPurpose?.name)) }
            rows += [
                ("country_code", location?.countryCode), ("country", location?.country),
                ("subdivision_code", location?.subdivisionCode), ("subdivision", location?.subdivision),
                ("city", location?.city), ("postal_code", location?.postalCode),
                ("latitude", location?.latitude.map { "\($0)" }), ("longitude", location?.longitude.map { "\($0)" }),
                ("accuracy_radius_km", location?.accuracyRadiusKm.map { "\($0)" }),
                ("time_zone", location?.timeZone), ("continent_code", location?.continentCode),
                ("database_type", location?.databaseType),
                ("database_build_epoch", location?.databaseBuildEpoch.map { "\($0)" }),
            ]
            let present = rows.compactMap { name, value in value.map { (name, $0) } }
            let width = present.map(\.0.count).max() ?? 0
            return present.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
                .joined(separator: "\n")
        }

        private struct JSONOutput: Encodable {
            let ip: String
            let status: String
            let range: String?
            let location: GeoLocation?
        }

        static func json(address: IPAddress, result: GeoResult) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let output = JSONOutput(
                ip: address.description, status: result.status.name,
                range: result.status == .private ? address.specialPurpose?.name : nil, location: result.location)
            return String(decoding: try encoder.encode(output), as: UTF8.self)
        }
    }
}
