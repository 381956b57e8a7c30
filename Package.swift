// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "AuditLedger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "auditledger", targets: ["auditledger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Already under Hummingbird and PostgresNIO; named for `auditledger tail`'s HTTP client.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Pure: event model, validation, canonical encoding, Merkle tree, checkpoints, query model. No I/O.
        .target(name: "LedgerCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The default VFS with each commit's WAL frames written in a few large writes (see wal_buffer.c).
        .target(name: "CSQLiteWALBuffer", dependencies: ["CSQLite"]),
        .target(name: "LedgerStore", dependencies: ["LedgerCore", "CSQLite", "CSQLiteWALBuffer", .product(name: "Crypto", package: "swift-crypto")]),
        // The PostgreSQL backend: same repositories as the SQLite one, shared by several nodes.
        .target(name: "LedgerPostgres", dependencies: [
            "LedgerCore", "LedgerStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            // Only for ConnectionPoolError, which PostgresClient throws as it is when its circuit
            // breaker trips (PostgresErrors maps it to StoreUnavailableError).
            .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .systemLibrary(name: "CMaxMindDB", pkgConfig: "libmaxminddb", providers: [.apt(["libmaxminddb-dev"])]),
        .target(name: "GeoIP", dependencies: ["LedgerCore", "CMaxMindDB"]),
        // The HTTP API: Hummingbird app, controllers over the storage protocols, auth, metrics.
        .target(name: "LedgerServer", dependencies: [
            "LedgerCore", "LedgerStore", "GeoIP",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "auditledger", dependencies: [
            "LedgerCore", "LedgerStore", "LedgerPostgres", "GeoIP", "LedgerServer",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore"]),
        // Deterministic realistic events and clocks, shared by the storage test targets.
        .target(name: "LedgerTestSupport", dependencies: ["LedgerCore", "LedgerStore"], path: "Tests/LedgerTestSupport"),
        .testTarget(name: "LedgerStoreTests", dependencies: ["LedgerStore", "LedgerCore", "LedgerTestSupport"]),
        // One storage suite run against every backend (SQLite and PostgreSQL).
        // A throw-away PostgreSQL cluster (and streaming replica) for the tests that need one.
        .target(name: "PostgresTestSupport", dependencies: [
            "LedgerPostgres", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/PostgresTestSupport"),
        .testTarget(name: "LedgerConformanceTests", dependencies: [
            "LedgerStore", "LedgerPostgres", "LedgerCore", "LedgerTestSupport", "PostgresTestSupport",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
        ]),
        .testTarget(name: "GeoIPTests", dependencies: ["GeoIP", "LedgerCore"]),
        // End to end: runs the built `auditledger` binary as a user would.
        .testTarget(name: "AuditLedgerCLITests", dependencies: ["auditledger", "LedgerCore", "LedgerStore", "PostgresTestSupport"]),
        .testTarget(name: "LedgerServerTests", dependencies: [
            "LedgerServer", "LedgerStore", "LedgerPostgres", "LedgerCore", "GeoIP", "PostgresTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The plain C loop over libmaxminddb that GeoBench measures the GeoIP module against.
        .target(name: "GeoBenchBaseline", path: "Benchmarks/GeoBenchBaseline", linkerSettings: [.linkedLibrary("maxminddb")]),
        // Benchmark (release build) and dump tool for scripts/geo-integration.
        .executableTarget(name: "GeoBench", dependencies: ["GeoIP", "LedgerCore", "GeoBenchBaseline"], path: "Benchmarks/GeoBench"),
        // Benchmark (release build): proof times at 100k and 1M events, verify rate, the tree's share of append time.
        .executableTarget(name: "TamperBench", dependencies: ["LedgerStore", "LedgerCore", "CSQLite"], path: "Benchmarks/TamperBench"),
        // Store benchmarks (append against a raw-SQLite limit, search, export, verify) and the data
        // generator; scripts/bench runs them beside a PostgreSQL peer and writes BENCHMARKS.md.
        .executableTarget(name: "LedgerBench", dependencies: ["LedgerStore", "LedgerPostgres", "LedgerCore", "GeoIP", "CSQLite"], path: "Benchmarks/LedgerBench"),
    ]
)
