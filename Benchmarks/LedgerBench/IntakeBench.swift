import Foundation
import GeoIP
import LedgerCore

/// What one request body costs before it reaches the writer: the CPU that B2's batches spend on
/// the server's concurrency pool, measured on one thread without HTTP, so that a change to the
/// parser or the validator shows up as µs per event instead of in a noisy HTTP rate.
struct IntakeRun {
    var events = 0
    var parseSeconds = 0.0
    var validateSeconds = 0.0
    var locateSeconds = 0.0
}

/// Reads the first `requests` bodies of a `LedgerBench ndjson`-style file (one body per line, as
/// scripts/bench-http posts them) and runs them `rounds` times through the server's steps:
/// `EventIntake.parse`, then validation, then the geo lookup.
func runIntake(bodiesPath: String, requests: Int, rounds: Int, geoDatabase: String?) throws -> IntakeRun {
    let bodies = try readBodies(bodiesPath, limit: requests)
    guard !bodies.isEmpty else { throw BenchError("\(bodiesPath) holds no bodies") }
    let locator = try geoDatabase.map { try ReloadingGeoLocator(path: $0) }
    let now = Timestamp.systemNow()
    let validating = EventIntake(validator: EventValidator(now: now), enricher: GeoEnricher(locator: nil))
    let locating = GeoEnricher(locator: locator)
    var run = IntakeRun()
    for _ in 0..<rounds {
        for body in bodies {
            var began = ContinuousClock.now
            guard case .success(let (items, isBatch)) = validating.parse(body, format: .json) else {
                throw BenchError("a body in \(bodiesPath) is not valid JSON")
            }
            run.parseSeconds += seconds(since: began)
            began = ContinuousClock.now
            guard case .success(let batch) = validating.batch(items: items, isBatch: isBatch) else {
                throw BenchError("a body in \(bodiesPath) holds an invalid event")
            }
            run.validateSeconds += seconds(since: began)
            began = ContinuousClock.now
            var located = 0
            for event in batch.events where locating.enrich(event.content.ip).location != nil { located += 1 }
            run.locateSeconds += seconds(since: began)
            run.events += batch.events.count
            blackHole(located)
        }
    }
    return run
}

/// The file's first `limit` non-blank lines, each one request body. Reads only as far as those
/// lines (the bodies file is hundreds of MB) and splits them as the server splits NDJSON.
private func readBodies(_ path: String, limit: Int) throws -> [[UInt8]] {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw BenchError("cannot read \(path)") }
    defer { handle.closeFile() }
    var bytes: [UInt8] = []
    var lineFeeds = 0
    while lineFeeds < limit {
        let chunk = handle.readData(ofLength: 1 << 20)
        if chunk.isEmpty { break }
        lineFeeds += chunk.reduce(0) { $1 == 0x0a ? $0 + 1 : $0 }
        bytes += chunk
    }
    return NDJSONLines(bytes).prefix(limit).map { Array($0.bytes) }
}

/// Keeps the optimizer from dropping work whose result is otherwise unused.
@inline(never) func blackHole<T>(_ value: T) { _ = value }
