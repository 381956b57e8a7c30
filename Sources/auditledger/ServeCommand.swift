import ArgumentParser
import Foundation
import GeoIP
import Hummingbird
import LedgerCore
import LedgerServer
import LedgerStore
import Logging
import Metrics

/// `auditledger serve`: the HTTP API. Stops gracefully on SIGTERM/SIGINT: the server stops
/// accepting connections and finishes in-flight requests, then the ledger commits what is
/// queued and closes.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API.",
        discussion: """
            With --demo: creates the ledger if missing, uses the fixture City database when no other \
            is configured, and prints an ingest and a read token for account `demo` (kept in a \
            .demo-tokens file beside the ledger, so restarts print the same ones) with three curl lines.
            """)

    @OptionGroup var ledger: LedgerOptions

    /// The City database, reloaded when replaced; with --demo and none configured, the fixture.
    @OptionGroup var geo: GeoOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Flag(help: "Demo mode: create the ledger, use the fixture geo database, print tokens and curl lines.")
    var demo = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else { throw CLIFailure.usage("--log-level \(logLevel) is not a level") }
        guard (0...65535).contains(port) else { throw CLIFailure.usage("--port must be 0–65535") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = { var logger = Logger(label: "auditledger"); logger.logLevel = level; return logger }()

        let enricher = try geoEnricher(logger: logger)
        let store = try ledger.open(create: demo)
        let metrics = ServerMetrics()
        MetricsSystem.bootstrap(metrics.metricsFactory)
        let dependencies = ServerDependencies(ledger: store, tokens: store, enricher: enricher, metrics: metrics, logger: logger)

        let demoTokens: DemoTokens?
        do {
            demoTokens = demo ? try await DemoTokens.load(beside: ledger.path, tokens: store) : nil
        } catch {
            await store.close()
            throw CLIFailure.usage("cannot prepare demo tokens: \(error)")
        }
        let host = self.host, path = ledger.path
        let app = buildApplication(dependencies, configuration: ServerConfiguration(host: host, port: port)) { port in
            logger.info("listening", metadata: ["host": "\(host)", "port": "\(port)", "db": "\(path)"])
            if let demoTokens {
                // Unbuffered: the lines must appear at once even when stdout is a pipe or a file.
                FileHandle.standardOutput.write(Data((demoTokens.instructions(baseURL: "http://\(host):\(port)") + "\n").utf8))
            }
        }
        try await app.runService()
    }

    private func geoEnricher(logger: Logger) throws -> GeoEnricher {
        let fixture = demo && FileManager.default.fileExists(atPath: GeoOptions.fixturePath) ? GeoOptions.fixturePath : nil
        guard let path = geo.path ?? fixture else {
            logger.warning("no City database configured (--geoip-db): events are stored with geo_status no_database")
            return GeoEnricher(locator: nil)
        }
        do {
            let locator = try ReloadingGeoLocator(path: path, onEvent: { event in
                logger.notice("geoip database", metadata: ["event": "\(event)"])
            })
            logger.info("geoip database loaded", metadata: ["path": "\(path)"])
            return GeoEnricher(locator: locator)
        } catch {
            throw CLIFailure.usage("unusable City database: \(error.description)")
        }
    }
}
