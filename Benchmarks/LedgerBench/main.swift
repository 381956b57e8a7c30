import CSQLite
import Foundation
import LedgerCore
import LedgerPostgres
import LedgerStore

// LedgerBench: the store's benchmarks (scripts/bench runs them and writes BENCHMARKS.md).
//
//   LedgerBench append  --db PATH --events N [--mode store|raw] [--group G] [--geo MMDB] [--seed S] [--accounts A]
//   LedgerBench search  --db PATH|--store sqlite:PATH|postgres://… --queries N [--specs OUT.ndjson] [--seed S] [--kinds K1,K2 | --skip-kinds K1,K2] [--label L] [--slowest N] [--country-scan-limit N] [--only JSON-TEXT [--repeat R]]
//   LedgerBench export  --db PATH --account A --limit N
//   LedgerBench verify  --db PATH
//   LedgerBench pgrows  --db PATH --out FILE.tsv|-      the stored rows, for the PostgreSQL peer
//   LedgerBench ndjson  --events N --out FILE [--seed S] the same events as POST bodies
//   LedgerBench intake  --bodies FILE --requests N [--rounds R] [--geo MMDB]   parse, validate, locate: µs per event
//
// Each command prints one JSON object per result on stdout; progress goes to stderr.

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else {
    FileHandle.standardError.write("usage: LedgerBench append|search|export|verify|pgrows|ndjson|intake --flag value ...\n".data(using: .utf8)!)
    exit(2)
}
let options: [String: String] = Dictionary(
    stride(from: 1, to: arguments.count - 1, by: 2).filter { arguments[$0].hasPrefix("--") }
        .map { (String(arguments[$0].dropFirst(2)), arguments[$0 + 1]) },
    uniquingKeysWith: { $1 })
func option(_ key: String) throws -> String {
    guard let value = options[key] else { throw BenchError("missing --\(key)") }
    return value
}
func intOption(_ key: String, _ fallback: Int? = nil) throws -> Int {
    if let text = options[key] {
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else { throw BenchError("--\(key) is not a number") }
        return value
    }
    guard let fallback else { throw BenchError("missing --\(key)") }
    return fallback
}
func emit(_ object: JSONObject) { print(JSONValue.object(object).canonicalText) }
func note(_ text: String) { FileHandle.standardError.write((text + "\n").data(using: .utf8)!) }
func number(_ value: Double) -> JSONValue { .number(String(format: "%.4f", value)) }

/// Peak resident set of this process, in MiB.
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

// Bad options are a usage error (exit 2 with the reason), not a crash with a backtrace.
do {
    let seed = UInt64(try intOption("seed", 20_260_101))
    switch command {
    case "append":
        let total = try intOption("events")
        guard total >= 1 else { throw BenchError("--events must be at least 1") }
        // A run shorter than one group is one transaction of all its events, and one slice.
        let group = min(total, try intOption("group", SQLiteLedger.Options().maxGroupEvents))
        guard group >= 1 else { throw BenchError("--group must be at least 1") }
        let mode = options["mode"] ?? "store"
        let path = try option("db")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let source = try EventSource(seed: seed, total: total, accounts: try intOption("accounts", EventGenerator.accountCount),
                                     geoDatabase: options["geo"])
        let sliceRows = max(group, total / 10)
        let began = ContinuousClock.now
        let report: (Int) -> Void = { done in
            note("\(mode): \(done) events, \(Int(Double(done) / seconds(since: began))) events/s wall")
        }
        let run = mode == "raw"
            ? try appendRaw(path: path, source: source, total: total, group: group, sliceRows: sliceRows, progress: report)
            : try await appendThroughStore(path: path, source: source, total: total, group: group, sliceRows: sliceRows, progress: report)
        var result: JSONObject = ["bench": "append", "mode": .string(mode), "events": JSONValue(integer: run.rows),
                                  "group": JSONValue(integer: group)]
        result["rate"] = number(Double(run.rows) / run.seconds)
        result["first_slice_rate"] = number(run.rate(slices: 0..<1))
        result["last_slice_rate"] = number(run.rate(slices: (run.sliceSeconds.count - 1)..<run.sliceSeconds.count))
        result["slice_rows"] = JSONValue(integer: sliceRows)
        result["slice_rates"] = .array(run.sliceSeconds.indices.map { number(run.rate(slices: $0..<($0 + 1))) })
        result["wal_max_bytes"] = JSONValue(integer: run.maxWALBytes)
        result["slice_wal_bytes"] = .array(run.sliceWALBytes.map { JSONValue(integer: $0) })
        if !run.sliceWALFramesWritten.isEmpty {
            result["slice_wal_frames_per_row"] = .array(run.sliceWALFramesWritten.map {
                number(Double($0) / Double(run.sliceRows))
            })
        }
        result["wall_seconds"] = number(seconds(since: began))
        emit(result)

    case "search":
        // The same queries on either backend: --store names a PostgreSQL ledger (scripts/bench-nodes).
        let ledger: any LedgerRepository
        if let store = options["store"], store.hasPrefix("postgres") {
            ledger = try await PostgresLedger.open(url: store, create: false)
        } else {
            let path = try options["store"].map { $0.hasPrefix("sqlite:") ? String($0.dropFirst(7)) : $0 } ?? option("db")
            var sqliteOptions = SQLiteLedger.Options()
            // For A/B runs of the country plans (Benchmarks/PROFILES.md); the store's default otherwise.
            if options["country-scan-limit"] != nil { sqliteOptions.countryScanLimit = Int64(try intOption("country-scan-limit")) }
            ledger = try SQLiteLedger(path: path, create: false, options: sqliteOptions)
        }
        var specs = try await benchmarkQueries(ledger: ledger, count: try intOption("queries", 1_000), seed: seed)
        // Every generated query, whatever --kinds keeps: the PostgreSQL peer runs the whole set,
        // while scripts/bench times the kinds in separate runs.
        if let out = options["specs"] {
            try (specs.map(\.json).joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        }
        // --kinds K1,K2 keeps only those kinds; --skip-kinds K1,K2 keeps the others, so that a run
        // of "the rest" needs no list that a new kind could be missing from.
        let generatedKinds = Set(specs.map(\.kind))
        func kindList(_ key: String) throws -> Set<String>? {
            guard let text = options[key] else { return nil }
            let kinds = Set(text.split(separator: ",").map(String.init))
            // A misspelt kind would otherwise leave its queries out and still look like a run.
            let unknown = kinds.subtracting(generatedKinds)
            guard unknown.isEmpty else {
                throw BenchError("--\(key): no query of kind \(unknown.sorted().joined(separator: ",")) " +
                                 "(kinds: \(generatedKinds.sorted().joined(separator: ",")))")
            }
            return kinds
        }
        if let kept = try kindList("kinds") { specs.removeAll { !kept.contains($0.kind) } }
        if let skipped = try kindList("skip-kinds") { specs.removeAll { skipped.contains($0.kind) } }
        // --only TEXT: the queries whose JSON contains TEXT, each run --repeat times (200), to time
        // or profile one slow query on its own.
        if let only = options["only"] {
            let matching = specs.filter { $0.json.contains(only) }
            let repeats = try intOption("repeat", 200)
            guard repeats >= 1 else { throw BenchError("--repeat must be at least 1") }
            specs = (0..<repeats).flatMap { _ in matching }
        }
        guard !specs.isEmpty else { throw BenchError("--kinds, --skip-kinds and --only leave no query to run") }
        for summary in try await runSearches(ledger: ledger, specs: specs, slowest: try intOption("slowest", 0)) {
            var result: JSONObject = [
                "bench": "search", "kind": .string(summary.kind), "queries": JSONValue(integer: summary.samples.count),
                "p50_ms": number(summary.percentile(0.5)), "p99_ms": number(summary.percentile(0.99)),
                "mean_rows": number(Double(summary.rows) / Double(summary.samples.count))]
            // Which ledger, when one tier's run also times another's (10M against 100k, interleaved).
            if let label = options["label"] { result["ledger"] = .string(label) }
            emit(result)
        }
        await ledger.close()

    case "export":
        let ledger = try SQLiteLedger(path: try option("db"), create: false)
        let limit = try intOption("limit")
        let out = FileHandle(forWritingAtPath: "/dev/null")!
        let began = ContinuousClock.now
        let cursor = try await ledger.export(ExportRequest(account: try option("account")))
        var exported = 0
        var buffer: [UInt8] = []
        while exported < limit {
            let events = try await cursor.next(min(1_000, limit - exported))
            if events.isEmpty { break }
            for event in events {
                buffer += event.json.canonicalBytes
                buffer.append(0x0a)
            }
            out.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
            exported += events.count
        }
        await cursor.close()
        let elapsed = seconds(since: began)
        emit(["bench": "export", "events": JSONValue(integer: exported), "rate": number(Double(exported) / elapsed),
              "peak_rss_mib": number(peakRSSMiB())])
        await ledger.close()

    case "verify":
        let ledger = try SQLiteLedger(path: try option("db"), create: false)
        let began = ContinuousClock.now
        let report = try await ledger.verify(progress: nil)
        let elapsed = seconds(since: began)
        emit(["bench": "verify", "events": JSONValue(integer: report.eventsChecked), "passed": .bool(report.passed),
              "rate": number(Double(report.eventsChecked) / elapsed)])
        await ledger.close()

    case "pgrows":
        try writePostgresRows(database: try option("db"), to: try option("out"))

    case "ndjson":
        let total = try intOption("events")
        let generator = EventGenerator(seed: seed, total: total)
        FileManager.default.createFile(atPath: try option("out"), contents: nil)
        let out = FileHandle(forWritingAtPath: try option("out"))!
        for start in stride(from: 0, to: total, by: 10_000) {
            var bytes: [UInt8] = []
            for index in start..<min(total, start + 10_000) {
                bytes += requestJSON(generator.content(index)).canonicalBytes
                bytes.append(0x0a)
            }
            out.write(Data(bytes))
        }
        out.closeFile()

    case "intake":
        let requests = try intOption("requests")
        let rounds = try intOption("rounds", 1)
        guard requests >= 1, rounds >= 1 else { throw BenchError("--requests and --rounds must be at least 1") }
        let run = try runIntake(bodiesPath: try option("bodies"), requests: requests, rounds: rounds,
                                geoDatabase: options["geo"])
        let perEvent = { (seconds: Double) in number(seconds * 1e6 / Double(run.events)) }
        emit(["bench": "intake", "events": JSONValue(integer: run.events),
              "parse_us_per_event": perEvent(run.parseSeconds), "validate_us_per_event": perEvent(run.validateSeconds),
              "locate_us_per_event": perEvent(run.locateSeconds),
              "total_us_per_event": perEvent(run.parseSeconds + run.validateSeconds + run.locateSeconds)])

    default:
        throw BenchError("unknown command \(command)")
    }
} catch {
    note("LedgerBench \(command): \(error)")
    exit(2)
}
