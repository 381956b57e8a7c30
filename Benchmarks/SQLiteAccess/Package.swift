// swift-tools-version:6.1
// A package of its own, so that the main build (and CI) never compiles GRDB: it exists only to
// measure why LedgerStore talks to SQLite through a thin wrapper instead of GRDB.
import PackageDescription

let package = Package(
    name: "SQLiteAccess",
    dependencies: [.package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0")],
    targets: [
        .executableTarget(name: "SQLiteAccessBench", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
    ]
)
