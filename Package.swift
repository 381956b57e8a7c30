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
        // End to end: runs the built `auditledger` binary as a user would.
        .testTarget(name: "AuditLedgerCLITests", dependencies: ["auditledger", "LedgerCore", "LedgerStore"]),
        // The plain C loop over libmaxminddb that GeoBench measures the GeoIP module against.
        .target(name: "GeoBenchBaseline", path: "Benchmarks/GeoBenchBaseline", linkerSettings: [.linkedLibrary("maxminddb")]),
        // Benchmark (release build) and dump tool for scripts/geo-integration.
        .executableTarget(name: "GeoBench", dependencies: ["GeoIP", "LedgerCore", "GeoBenchBaseline"], path: "Benchmarks/GeoBench"),
        // Benchmark (release build): proof times at 100k and 1M events, verify rate, the tree's share of append time.
        .executableTarget(name: "TamperBench", dependencies: ["LedgerStore", "LedgerCore", "CSQLite"], path: "Benchmarks/TamperBench"),
    ]
)
