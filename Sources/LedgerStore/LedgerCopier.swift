import LedgerCore

/// Copies a ledger into another backend verbatim and proves the copy (`auditledger migrate`).
///
/// The copy takes the source as it stands when the copy starts (events appended meanwhile are
/// left for the next run). A destination that already holds a prefix of the same ledger
/// (same root at its size, for instance an interrupted copy) is continued, not refused.
/// The proof: the destination's tree has the source's size and root, every checkpoint is
/// there, and a full verify of the destination passes, which checks every checkpoint's
/// signature against the recomputed tree.
public struct LedgerCopier: Sendable {
    public let source: any LedgerCopying
    public let destination: any LedgerCopying
    public var batchSize: Int

    public init(source: any LedgerCopying, destination: any LedgerCopying, batchSize: Int = 10_000) {
        self.source = source
        self.destination = destination
        self.batchSize = max(1, batchSize)
    }

    public func run(progress: (@Sendable (_ copied: UInt64, _ total: UInt64) -> Void)? = nil) async throws -> LedgerCopyReport {
        let sourceHead = try await source.treeHead()
        let startHead = try await destination.treeHead()
        try await copyIdentity()
        guard startHead.size <= sourceHead.size else {
            throw LedgerCopyError.destinationAhead(destination: startHead.size, source: sourceHead.size)
        }
        if startHead.size > 0, try await source.root(treeSize: startHead.size) != startHead.rootHash {
            throw LedgerCopyError.differentLedger(atSize: startHead.size)
        }

        var next = startHead.size + 1
        while next <= sourceHead.size {
            let limit = Int(min(UInt64(batchSize), sourceHead.size - next + 1))
            let batch = try await source.storedEvents(fromSeq: next, limit: limit)
            guard let last = batch.last, batch.first?.event.seq == next else {
                throw LedgerCopyError.sourceChanged(expectedSeq: next)
            }
            try await destination.importStoredEvents(batch)
            next = last.event.seq + 1
            progress?(next - 1, sourceHead.size)
        }

        let checkpoints = try await copyCheckpoints(upTo: sourceHead.size)
        let tokens = try await source.storedTokens()
        try await destination.importStoredTokens(tokens)

        let copiedHead = try await destination.treeHead()
        guard copiedHead == sourceHead else {
            throw LedgerCopyError.headsDiffer(source: sourceHead, destination: copiedHead)
        }
        let verification = try await destination.verify(progress: nil)
        return LedgerCopyReport(treeHead: copiedHead, eventsCopied: sourceHead.size - startHead.size,
                                eventsAlreadyThere: startHead.size, checkpointsCopied: checkpoints,
                                tokens: tokens.count, verification: verification)
    }

    private func copyIdentity() async throws {
        guard let identity = try await source.identity() else { return }
        if let held = try await destination.identity(), held != identity {
            throw LedgerCopyError.differentIdentity(source: identity.origin, destination: held.origin)
        }
        try await destination.setIdentity(identity)
    }

    /// The source's checkpoints up to `size` that the destination lacks, in order; each is
    /// accepted only if it signs the destination's own recomputed root at its size.
    private func copyCheckpoints(upTo size: UInt64) async throws -> Int {
        var latest = try await destination.latestCheckpoint()?.treeSize
        var copied = 0
        while true {
            let page = try await source.checkpoints(after: latest, limit: 1_000).filter { $0.treeSize <= size }
            guard !page.isEmpty else { return copied }
            for checkpoint in page {
                try await destination.appendCheckpoint(checkpoint, previousTreeSize: latest)
                latest = checkpoint.treeSize
                copied += 1
            }
        }
    }
}

public struct LedgerCopyReport: Sendable {
    /// The destination's tree after the copy: the source's size and root.
    public var treeHead: TreeHead
    public var eventsCopied: UInt64
    public var eventsAlreadyThere: UInt64
    public var checkpointsCopied: Int
    public var tokens: Int
    /// The full verify of the destination.
    public var verification: VerificationReport
}

public enum LedgerCopyError: Error, Hashable, Sendable, CustomStringConvertible {
    case destinationAhead(destination: UInt64, source: UInt64)
    case differentLedger(atSize: UInt64)
    case differentIdentity(source: String, destination: String)
    case sourceChanged(expectedSeq: UInt64)
    case headsDiffer(source: TreeHead, destination: TreeHead)

    public var description: String {
        switch self {
        case .destinationAhead(let destination, let source):
            "the destination holds \(destination) events, more than the source's \(source)"
        case .differentLedger(let size):
            "the destination holds a different ledger: its root at \(size) events is not the source's"
        case .differentIdentity(let source, let destination):
            "the destination belongs to another ledger (origin \(destination), the source's is \(source))"
        case .sourceChanged(let seq):
            "the source has no event \(seq) any more"
        case .headsDiffer(let source, let destination):
            "the copy's tree (size \(destination.size), root \(destination.rootHash)) is not the source's (size \(source.size), root \(source.rootHash))"
        }
    }
}
