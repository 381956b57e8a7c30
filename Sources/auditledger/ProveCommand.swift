import ArgumentParser
import LedgerCore
import LedgerStore

struct ProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print the inclusion proof of an event in a signed checkpoint, as JSON.",
        discussion: """
            Proves against the latest checkpoint, or the one of exactly --tree-size events. The \
            proof and the checkpoint's signature are verified before anything is printed; an \
            auditor checks the same with the verifier key and any RFC 9162 implementation.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var keyOptions: LedgerKeyOptions
    @Argument(help: "The event's seq.") var seq: UInt64
    @Option(help: "Prove against the checkpoint of this tree size instead of the latest.") var treeSize: UInt64?
    @Option(help: "Check the checkpoint's signature with this verifier key (default: the key file's, else the ledger's).")
    var verifierKey: String?

    func run() async throws {
        let verifier = try keyOptions.verifier(explicit: verifierKey, ledger)
        let output: JSONValue = try await ledger.withLedger { store in
            let checkpoint: StoredCheckpoint?
            if let treeSize {
                checkpoint = try await store.checkpoint(atLeast: treeSize).flatMap { $0.treeSize == treeSize ? $0 : nil }
            } else {
                checkpoint = try await store.latestCheckpoint()
            }
            guard let checkpoint else {
                throw CLIFailure.notFound(treeSize.map { "no checkpoint of tree size \($0)" } ?? "no checkpoint yet; run `auditledger checkpoint`")
            }
            guard seq >= 1, seq <= checkpoint.treeSize else {
                throw CLIFailure.notFound("seq \(seq) is not in the checkpoint of tree size \(checkpoint.treeSize); run `auditledger checkpoint`")
            }
            let recorded = try await store.identity()?.verifier
            guard let key = verifier ?? recorded else {
                throw CLIFailure.usage("no verifier key: pass --verifier-key")
            }
            let signed: Checkpoint
            do {
                signed = try checkpoint.verified(by: key)
            } catch {
                throw CLIFailure.notFound("the stored checkpoint of tree size \(checkpoint.treeSize) does not verify: \(error)")
            }
            guard let leaf = try await store.leafHash(seq: seq) else { throw CLIFailure.notFound("no event \(seq)") }
            let proof = try await store.inclusionProof(seq: seq, treeSize: signed.treeSize)
            guard MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: seq - 1, treeSize: signed.treeSize,
                                                 proof: proof, root: signed.rootHash) else {
                throw CLIFailure.notFound("event \(seq) is not included in the signed tree of size \(signed.treeSize): run `auditledger verify`")
            }
            return .object([
                "seq": JSONValue(integer: seq), "leaf_index": JSONValue(integer: seq - 1), "leaf_hash": .string(leaf.description),
                "tree_size": JSONValue(integer: signed.treeSize), "root_hash": .string(signed.rootHash.description),
                "proof": .array(proof.map { .string($0.description) }), "checkpoint": .string(checkpoint.signedNote),
            ])
        }
        print(output.canonicalText)
    }
}
