import Foundation
import LedgerCore
import LedgerStore

// TamperBench (release build): what tamper evidence costs.
//
//   swift run -c release TamperBench [EVENTS (default 1000000)] [DIRECTORY (default: a temp dir)]
//
// 1. Appends EVENTS realistic events through SQLiteLedger (batches of 1,000, 4 in flight, as
//    `ingest` does) and reports the rate per phase.
// 2. At 100k events and at EVENTS: time to build inclusion proofs, consistency proofs and
//    roots for random sizes (should be flat: O(log n) indexed reads).
// 3. Signs a checkpoint, runs `verify` over everything: events/s.
// 4. The tree's share of append time: the frontier's hashing and the node inserts, timed in
//    isolation over the same leaves (see NodeInsertBaseline).

let arguments = CommandLine.arguments.dropFirst()
let total = arguments.first.flatMap(Int.init) ?? 1_000_000
let ownsDirectory = arguments.dropFirst().first == nil
let directory = arguments.dropFirst().first
    ?? FileManager.default.temporaryDirectory.appendingPathComponent("tamperbench-\(UUID().uuidString)").path
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
let path = directory + "/bench.sqlite"
let ledger = try SQLiteLedger(path: path)
let signer = try NoteSigner.generate(name: "tamperbench.local/log")
try await ledger.setIdentity(LedgerIdentity(signer: signer))
let service = try await CheckpointService(repository: ledger, signer: signer)

var generator = BenchEvents(seed: 42)
var leafHashes: [MerkleHash] = []
leafHashes.reserveCapacity(total)
var appendSeconds = 0.0

/// Appends events until the ledger holds `target`; returns the phase's events/s.
@MainActor func append(upTo target: Int) async throws -> Double {
    let first = leafHashes.count
    let started = ContinuousClock.now
    var inFlight: [Task<[AppendReceipt], Error>] = []
    var queued = first
    while queued < target || !inFlight.isEmpty {
        if queued < target, inFlight.count < 4 {
            let batch = (0..<min(1_000, target - queued)).map { _ in generator.event() }
            queued += batch.count
            inFlight.append(Task { try await ledger.append(batch) })
            continue
        }
        leafHashes += try await inFlight.removeFirst().value.map(\.hash)
    }
    let seconds = (ContinuousClock.now - started).seconds
    appendSeconds += seconds
    return Double(target - first) / seconds
}

/// Microseconds per proof, median and p99 over `count` random requests.
@MainActor func proofTimes(size: UInt64, count: Int = 2_000) async throws -> String {
    var random = SystemRandomNumberGenerator()
    var inclusion: [Double] = [], consistency: [Double] = [], roots: [Double] = []
    for _ in 0..<count {
        let seq = UInt64.random(in: 1...size, using: &random)
        var started = ContinuousClock.now
        _ = try await ledger.inclusionProof(seq: seq, treeSize: size)
        inclusion.append((ContinuousClock.now - started).seconds * 1e6)
        started = ContinuousClock.now
        _ = try await ledger.consistencyProof(from: seq, to: size)
        consistency.append((ContinuousClock.now - started).seconds * 1e6)
        started = ContinuousClock.now
        _ = try await ledger.root(treeSize: seq)
        roots.append((ContinuousClock.now - started).seconds * 1e6)
    }
    func summary(_ values: [Double]) -> String {
        let sorted = values.sorted()
        return String(format: "p50 %.0f µs, p99 %.0f µs", sorted[sorted.count / 2], sorted[sorted.count * 99 / 100])
    }
    return "inclusion \(summary(inclusion)); consistency \(summary(consistency)); root \(summary(roots))"
}

print("TamperBench: \(total) events in \(path)")
let firstPhase = min(100_000, total)
print(String(format: "append 0…%d: %.0f events/s", firstPhase, try await append(upTo: firstPhase)))
print("proofs at \(firstPhase): \(try await proofTimes(size: UInt64(firstPhase)))")
if total > firstPhase {
    print(String(format: "append %d…%d: %.0f events/s", firstPhase, total, try await append(upTo: total)))
    print("proofs at \(total): \(try await proofTimes(size: UInt64(total)))")
}
print(String(format: "append overall: %.0f events/s (%.1f s)", Double(total) / appendSeconds, appendSeconds))

var started = ContinuousClock.now
let checkpoint = try await service.checkpoint()
print(String(format: "checkpoint of %d events signed and stored in %.1f ms", checkpoint.treeSize, (ContinuousClock.now - started).seconds * 1e3))
started = ContinuousClock.now
let report = try await ledger.verify(progress: nil)
let verifySeconds = (ContinuousClock.now - started).seconds
precondition(report.passed && report.checkpointsChecked == 1, "verify failed: \(String(describing: report.firstFailure))")
print(String(format: "verify: %d events in %.1f s = %.0f events/s", report.eventsChecked, verifySeconds, Double(report.eventsChecked) / verifySeconds))
await ledger.close()

// The tree's share: the same leaves through the frontier, and its nodes into a table, in
// commits the size the writer makes (up to 10,000 events with 4 batches of 1,000 in flight:
// measured as 4,000 events per commit, the in-flight depth).
started = ContinuousClock.now
var frontier = MerkleFrontier()
var nodesPerCommit: [[MerkleNode]] = [[]]
for (index, leaf) in leafHashes.enumerated() {
    nodesPerCommit[nodesPerCommit.count - 1] += try frontier.append(leafHash: leaf)
    if (index + 1) % 4_000 == 0 { nodesPerCommit.append([]) }
}
let hashingSeconds = (ContinuousClock.now - started).seconds
let insertSeconds = NodeInsertBaseline.seconds(inserting: nodesPerCommit, at: directory + "/nodes.sqlite")
let treeSeconds = hashingSeconds + insertSeconds
print(String(format: "tree work in isolation: frontier hashing %.2f s, node inserts %.2f s (%d nodes)",
             hashingSeconds, insertSeconds, nodesPerCommit.reduce(0) { $0 + $1.count }))
print(String(format: "tree share of append time: %.1f%% (append with tree %.0f events/s, without ≈ %.0f events/s)",
             treeSeconds / appendSeconds * 100, Double(total) / appendSeconds, Double(total) / (appendSeconds - treeSeconds)))
try? FileManager.default.removeItem(atPath: directory + "/nodes.sqlite")
if ownsDirectory { try? FileManager.default.removeItem(atPath: directory) }
