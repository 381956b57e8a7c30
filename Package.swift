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
    ],
    targets: [
        // Pure: event model, validation, canonical encoding, Merkle tree, checkpoints, query model. No I/O.
        .target(name: "LedgerCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "LedgerStore", dependencies: ["LedgerCore", "CSQLite"]),
        .systemLibrary(name: "CMaxMindDB", pkgConfig: "libmaxminddb", providers: [.apt(["libmaxminddb-dev"])]),
        .target(name: "GeoIP", dependencies: ["LedgerCore", "CMaxMindDB"]),
        .executableTarget(name: "auditledger", dependencies: [
            "LedgerCore", "LedgerStore", "GeoIP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore"]),
        .testTarget(name: "LedgerStoreTests", dependencies: ["LedgerStore", "LedgerCore"]),
        .testTarget(name: "GeoIPTests", dependencies: ["GeoIP", "LedgerCore"]),
        // The plain C loop over libmaxminddb that GeoBench measures the GeoIP module against.
        .target(name: "GeoBenchBaseline", path: "Benchmarks/GeoBenchBaseline", linkerSettings: [.linkedLibrary("maxminddb")]),
        // Benchmark (release build) and dump tool for scripts/geo-integration.
        .executableTarget(name: "GeoBench", dependencies: ["GeoIP", "LedgerCore", "GeoBenchBaseline"], path: "Benchmarks/GeoBench"),
        // Store benchmarks (append against a raw-SQLite limit, search, export, verify) and the data
        // generator; scripts/bench runs them beside a PostgreSQL peer and writes BENCHMARKS.md.
        .executableTarget(name: "LedgerBench", dependencies: ["LedgerStore", "LedgerCore", "GeoIP", "CSQLite"], path: "Benchmarks/LedgerBench"),
    ]
)
