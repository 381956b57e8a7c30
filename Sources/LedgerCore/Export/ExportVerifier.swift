import Crypto

/// Checks an export against its manifest with nothing but the ledger's verifier key: every
/// row re-hashed from its fields, the account chain from the manifest's first row to its last
/// (so any changed, removed, added or reordered row fails with its number), the row count, the
/// file's SHA-256, the checkpoint's signature, and the last row's inclusion in the signed tree.
///
/// Pure and incremental: feed the file's bytes in chunks of any size, then `finish()`. The
/// CLI streams files through it; `verify(file:manifest:verifier:)` is the one-call form. Not
/// `Sendable`: it holds a running SHA-256 (swift-crypto's is not), and one check is one task.
public struct ExportVerifier {
    public let manifest: ExportManifest
    public let verifier: NoteVerifier
    private var reader: ExportRowReader
    private var digest = SHA256()
    private var previous: StoredEvent?
    public private(set) var failure: ExportVerificationFailure?

    public init(manifest: ExportManifest, verifier: NoteVerifier) {
        self.manifest = manifest
        self.verifier = verifier
        reader = ExportRowReader(format: manifest.format)
    }

    /// Checks and returns the first failure of the whole export, or nil when it verifies.
    public static func verify(file: [UInt8], manifest: ExportManifest, verifier: NoteVerifier) -> ExportVerificationFailure? {
        var exportVerifier = ExportVerifier(manifest: manifest, verifier: verifier)
        exportVerifier.feed(file)
        return exportVerifier.finish()
    }

    /// Consumes the next bytes of the file.
    public mutating func feed(_ bytes: some Collection<UInt8>) {
        digest.update(data: Array(bytes))
        guard failure == nil else { return }
        for (number, row) in reader.feed(bytes) where failure == nil {
            failure = check(row, number: number)
        }
    }

    /// The first failure, once the whole file has been fed.
    public mutating func finish() -> ExportVerificationFailure? {
        if failure == nil {
            for (number, row) in reader.finish() where failure == nil { failure = check(row, number: number) }
        }
        failure = failure ?? finalFailure()
        return failure
    }

    private mutating func check(_ row: ExportRowReader.Row, number: Int) -> ExportVerificationFailure? {
        func fail(_ reason: String) -> ExportVerificationFailure { ExportVerificationFailure(row: number, reason: reason) }
        guard case .event(let event, let claimedHash) = row else {
            if case .unreadable(let reason) = row { return fail("changed: \(reason)") }
            return nil
        }
        if UInt64(number) > manifest.rowCount {
            return fail("added: the manifest lists \(manifest.rowCount) rows")
        }
        guard claimedHash == event.hash.description else {
            return fail("changed: its fields hash to \(event.hash), not to the hash it carries")
        }
        guard event.content.account == manifest.account else {
            return fail("added: it belongs to account \(event.content.account), not \(manifest.account)")
        }
        if let from = manifest.receivedFrom, event.receivedAt < from {
            return fail("added: received at \(event.receivedAt), before the export's range")
        }
        if let to = manifest.receivedTo, event.receivedAt >= to {
            return fail("added: received at \(event.receivedAt), after the export's range")
        }
        if let previous {
            guard event.accountSeq == previous.accountSeq + 1 else {
                return fail("account_seq \(event.accountSeq) does not follow row \(number - 1)'s \(previous.accountSeq): "
                    + "a row was removed, added or moved here")
            }
            guard event.previousHash == previous.hash else {
                return fail("its previous_hash is not row \(number - 1)'s hash: row \(number - 1) was altered and re-hashed, "
                    + "or this row was replaced")
            }
        } else if let first = manifest.first {
            guard event.accountSeq == first.accountSeq, event.previousHash == manifest.firstPreviousHash, event.hash == first.hash,
                  event.seq == first.seq else {
                return fail("it is not the manifest's first row (account_seq \(first.accountSeq), hash \(first.hash)): "
                    + "a row was removed, added or moved here")
            }
        }
        previous = event
        return nil
    }

    /// Checks that need the whole file: count, last row, digest, signature, inclusion.
    private func finalFailure() -> ExportVerificationFailure? {
        let rows = UInt64(reader.rowCount)
        guard rows == manifest.rowCount else {
            return ExportVerificationFailure(row: Int(rows) + 1, reason: "missing: the manifest lists \(manifest.rowCount) rows, the file has \(rows)")
        }
        if let last = manifest.last {
            guard let previous, previous.seq == last.seq, previous.accountSeq == last.accountSeq, previous.hash == last.hash else {
                return ExportVerificationFailure(row: Int(rows), reason: "the last row is not the manifest's last row")
            }
        }
        guard Array(digest.finalize()) == manifest.fileSHA256 else {
            return ExportVerificationFailure(row: nil, reason: "the file's SHA-256 is not the one in the manifest: its bytes were changed")
        }
        guard let note = manifest.checkpoint else {
            return manifest.last == nil ? nil : ExportVerificationFailure(row: nil, reason: "the manifest has no checkpoint")
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(verifying: note, using: verifier)
        } catch {
            return ExportVerificationFailure(row: nil, reason: "the manifest's checkpoint is not signed by \(verifier.name)+\(NoteEncoding.hex8(verifier.keyHash)): \(error)")
        }
        guard let last = manifest.last, let proof = manifest.inclusionProof else { return nil }
        guard proof.leafIndex == last.seq - 1, proof.treeSize == checkpoint.treeSize,
              MerkleVerifier.verifyInclusion(leafHash: last.hash, leafIndex: proof.leafIndex, treeSize: checkpoint.treeSize,
                                             proof: proof.hashes, root: checkpoint.rootHash) else {
            return ExportVerificationFailure(row: Int(rows), reason: "the last row is not included in the signed checkpoint of tree size \(checkpoint.treeSize)")
        }
        return nil
    }
}
