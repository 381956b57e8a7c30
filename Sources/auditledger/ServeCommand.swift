import ArgumentParser
import Foundation
import GeoIP
import Hummingbird
import LedgerCore
import LedgerServer
import LedgerStore
import Logging
import Metrics

/// `auditledger serve`: the HTTP API, and checkpoints signed in the background. Stops
/// gracefully on SIGTERM/SIGINT: the server stops accepting connections and finishes in-flight
/// requests, the scheduler signs one last checkpoint (covering every acknowledged event), then
/// the ledger commits what is queued and closes.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API.",
        discussion: """
            Loads the ledger's signing key (--key, else $AUDITLEDGER_KEY, else <db>.key) and refuses \
            to start with a missing, malformed or foreign key (exit 2). A checkpoint is signed \
            every --checkpoint-interval seconds when events arrived, or as soon as \
            --checkpoint-every events arrived, and once more on shutdown.

            With --demo: creates the ledger and its signing key if missing (as `init` does), uses \
            the fixture City database when no other is configured, and prints an ingest and a read \
            token for account `demo` (kept in a .demo-tokens file beside the ledger, so restarts \
            print the same ones) with three curl lines.
            """)

    @OptionGroup var ledger: LedgerOptions

    /// The City database, reloaded when replaced; with --demo and none configured, the fixture.
    @OptionGroup var geo: GeoOptions

    @OptionGroup var keyOptions: LedgerKeyOptions

    @Option(name: .customLong("checkpoint-interval"), help: ArgumentHelp(
        "Sign a checkpoint this many seconds after the last one when events arrived since.", valueName: "seconds"))
    var checkpointInterval = 60

    @Option(name: .customLong("checkpoint-every"), help: ArgumentHelp(
        "Sign a checkpoint as soon as this many events arrived since the last one.", valueName: "events"))
    var checkpointEvery = 100_000

    @Option(name: .customLong("read-replica"), help: ArgumentHelp(
        "Serve reads from this replica of the store (postgres://…); writes still go to the store.", valueName: "store"))
    var readReplica: String?

    @Option(name: .customLong("replica-max-lag"), help: ArgumentHelp(
        "How long a read waits for the replica to hold this node's writes before it is refused (503).", valueName: "seconds"))
    var replicaMaxLag = 5.0

    @Option(name: .customLong("geoip-cache-entries"), help: ArgumentHelp(
        "Addresses whose geo-location is kept in memory, the most recently seen (a few hundred bytes each).",
        valueName: "count"))
    var geoipCacheEntries = ReloadingGeoLocator.defaultCacheCapacity

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Flag(help: "Demo mode: create the ledger, use the fixture geo database, print tokens and curl lines.")
    var demo = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    /// glibc gives threads that allocate at once arenas of their own, up to eight per core, and an
    /// arena keeps what is freed in it for its own thread. The server's allocating threads (the
    /// event loops, the concurrency pool, the SQLite writer and readers) each kept their own peak:
    /// two arenas lowered the anonymous peak under batch load by 11–15 MiB of about 180 (two runs,
    /// Benchmarks/PROFILES.md, "Server memory under load"). An explicit MALLOC_ARENA_MAX wins.
    static func limitMallocArenas() {
        #if canImport(Glibc)
        // <malloc.h> is not part of Swift's Glibc module: find mallopt at run time.
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        let arenaMax: Int32 = -8  // M_ARENA_MAX in <malloc.h>
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil,
              let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallOpt.self)(arenaMax, 2)
        #endif
    }

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else { throw CLIFailure.usage("--log-level \(logLevel) is not a level") }
        guard (0...65535).contains(port) else { throw CLIFailure.usage("--port must be 0–65535") }
        guard checkpointInterval >= 1 else { throw CLIFailure.usage("--checkpoint-interval must be at least 1 second") }
        guard checkpointEvery >= 1 else { throw CLIFailure.usage("--checkpoint-every must be at least 1 event") }
        guard replicaMaxLag > 0, replicaMaxLag <= 3600 else { throw CLIFailure.usage("--replica-max-lag must be 0–3600 seconds") }
        guard (1...10_000_000).contains(geoipCacheEntries) else { throw CLIFailure.usage("--geoip-cache-entries must be 1–10000000") }
        Self.limitMallocArenas()
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = { var logger = Logger(label: "auditledger"); logger.logLevel = level; return logger }()

        let enricher = try geoEnricher(logger: logger)
        // Demo mode keeps its key and tokens in files beside the ledger file.
        if demo { _ = try ledger.sqlitePath(for: "serve --demo") }
        let store = try await ledger.open(create: demo)
        let service: CheckpointService
        do {
            service = try await checkpointService(store)
        } catch {
            await store.close()
            throw error
        }
        let checkpoints = await SignedCheckpoints(service: service)
        logger.info("signing checkpoints", metadata: ["verifier_key": "\(checkpoints.verifier.verifierKey)"])
        let scheduler = CheckpointScheduler(
            service: service,
            schedule: CheckpointSchedule(interval: .seconds(checkpointInterval), everyEvents: UInt64(checkpointEvery)),
            onCheckpoint: { checkpoint in
                logger.info("checkpoint signed", metadata: ["tree_size": "\(checkpoint.treeSize)", "root": "\(checkpoint.rootHash)"])
            },
            onError: { error in logger.error("checkpoint not signed", metadata: ["error": "\(error)"]) })
        let metrics = ServerMetrics()
        MetricsSystem.bootstrap(metrics.metricsFactory)
        let served: any LedgerRepository
        do {
            served = try await readingLedger(writingTo: store)
        } catch {
            await store.close()
            throw error
        }
        let dependencies = ServerDependencies(ledger: served, tokens: store, enricher: enricher, metrics: metrics,
                                              checkpoints: checkpoints, logger: logger)

        let demoTokens: DemoTokens?
        do {
            demoTokens = demo ? try await DemoTokens.load(beside: ledger.path, tokens: store) : nil
        } catch {
            await store.close()
            throw CLIFailure.usage("cannot prepare demo tokens: \(error)")
        }
        let host = self.host, path = ledger.path
        let app = buildApplication(dependencies, configuration: ServerConfiguration(host: host, port: port),
                                   services: [CheckpointSchedulerService(scheduler: scheduler)]) { port in
            logger.info("listening", metadata: ["host": "\(host)", "port": "\(port)", "db": "\(path)"])
            if let demoTokens {
                // Unbuffered: the lines must appear at once even when stdout is a pipe or a file.
                FileHandle.standardOutput.write(Data((demoTokens.instructions(baseURL: "http://\(host):\(port)") + "\n").utf8))
            }
        }
        try await app.runService()
    }

    /// The signer of the ledger's checkpoints: the key file must be there, parse, and be the key
    /// the ledger records. A ledger without a key is an error, except in demo mode, which
    /// creates one as `init` does, so that a fresh directory just works.
    private func checkpointService(_ store: any LedgerBackend) async throws -> CheckpointService {
        if try await store.identity() == nil {
            guard demo else {
                throw CLIFailure.usage("the ledger \(ledger.path) has no signing key yet; run `auditledger init` with the same --db or --store to create one")
            }
            let keyPath = try keyOptions.path(ledger)
            let signer: NoteSigner
            do {
                signer = try NoteSigner.generate(name: InitCommand.randomOrigin())
                try LedgerKeyFile.create(at: keyPath, signer: signer)
            } catch {
                throw CLIFailure.usage("cannot create the demo ledger's signing key: \(error)")
            }
            try await store.setIdentity(LedgerIdentity(signer: signer))
            StandardError.write("Signing key written to \(keyPath) (verifier key \(signer.verifier.verifierKey)).\n")
        }
        return try await keyOptions.service(ledger, store)
    }

    /// The store, or with --read-replica the store for writes and the replica for reads.
    /// Tokens and checkpoints stay on the store: revocations and signing must not trail.
    private func readingLedger(writingTo store: any LedgerBackend) async throws -> any LedgerRepository {
        guard let readReplica else { return store }
        let location = try StoreLocation(readReplica)
        guard location != (try ledger.location()) else { throw CLIFailure.usage("--read-replica is the store itself") }
        return ReplicaReadLedger(primary: store, replica: try await LedgerOptions.open(location, create: false),
                                 maxLag: .milliseconds(Int64(replicaMaxLag * 1000)))
    }

    private func geoEnricher(logger: Logger) throws -> GeoEnricher {
        let fixture = demo && FileManager.default.fileExists(atPath: GeoOptions.fixturePath) ? GeoOptions.fixturePath : nil
        guard let path = geo.path ?? fixture else {
            logger.warning("no City database configured (--geoip-db): events are stored with geo_status no_database")
            return GeoEnricher(locator: nil)
        }
        do {
            let locator = try ReloadingGeoLocator(path: path, cacheCapacity: geoipCacheEntries, onEvent: { event in
                logger.notice("geoip database", metadata: ["event": "\(event)"])
            })
            logger.info("geoip database loaded", metadata: ["path": "\(path)"])
            return GeoEnricher(locator: locator)
        } catch {
            throw CLIFailure.usage("unusable City database: \(error.description)")
        }
    }
}
