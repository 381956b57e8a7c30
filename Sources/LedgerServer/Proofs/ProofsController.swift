import Hummingbird
import LedgerCore
import LedgerStore

/// `GET /v1/checkpoint` and `GET /v1/proofs/{inclusion,consistency}`: what an auditor needs
/// to check that an event is in the ledger and that the ledger only ever grew.
///
/// The tree covers every account, so its size and roots are not one account's data; an
/// inclusion proof, which names an event, is served only for an event of the token's account
/// (any other `seq` is "Resource not found", as for `GET /v1/events/{seq}`).
struct ProofsController: Sendable {
    let ledger: any LedgerRepository
    let checkpoints: any CheckpointProviding

    func addRoutes(checkpoint: RouterGroup<AppRequestContext>, proofs: RouterGroup<AppRequestContext>) {
        checkpoint.get(use: latestCheckpoint)
        proofs.get("inclusion", use: inclusion)
        proofs.get("consistency", use: consistency)
    }

    @Sendable func latestCheckpoint(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireToken(.read)
        _ = try QueryParameters(request.uri.query, allowed: [])
        let checkpoint = try await checkpoints.latestCheckpoint()
        var object: JSONObject = [
            "tree_size": JSONValue(integer: checkpoint.treeHead.size),
            "root_hash": .string(checkpoint.treeHead.rootHash.description),
        ]
        if let note = checkpoint.signedNote { object["signed_note"] = .string(note) }
        return .json(.object(object))
    }

    @Sendable func inclusion(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.requireToken(.read)
        let parameters = try QueryParameters(request.uri.query, allowed: ["account", "seq", "tree_size"])
        let account = try token.account(requested: parameters.single("account"))
        guard let seq = try parameters.unsigned("seq") else { throw APIError.invalidParameter("seq", "is required") }
        guard let event = try await ledger.event(account: account, seq: seq) else { throw APIError.notFound }
        let treeSize: UInt64
        if let given = try parameters.unsigned("tree_size") { treeSize = given } else { treeSize = try await ledger.treeHead().size }
        guard seq <= treeSize else {
            throw APIError.invalidParameter("tree_size", "must be at least seq (\(seq)): the event is not in a smaller tree")
        }
        let proof = try await ledger.inclusionProof(seq: seq, treeSize: treeSize)
        let root = try await ledger.root(treeSize: treeSize)
        return .json(.object([
            "seq": JSONValue(integer: seq), "leaf_index": JSONValue(integer: seq - 1),
            "tree_size": JSONValue(integer: treeSize), "leaf_hash": .string(event.hash.description),
            "root_hash": .string(root.description), "proof": .array(proof.map { .string($0.description) }),
        ]))
    }

    @Sendable func consistency(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireToken(.read)
        let parameters = try QueryParameters(request.uri.query, allowed: ["first", "second"])
        guard let first = try parameters.unsigned("first") else { throw APIError.invalidParameter("first", "is required") }
        let second: UInt64
        if let given = try parameters.unsigned("second") { second = given } else { second = try await ledger.treeHead().size }
        guard first <= second else { throw APIError.invalidParameter("second", "must be at least first") }
        let proof = try await ledger.consistencyProof(from: first, to: second)
        let firstRoot = try await ledger.root(treeSize: first)
        let secondRoot = try await ledger.root(treeSize: second)
        return .json(.object([
            "first": JSONValue(integer: first), "second": JSONValue(integer: second),
            "first_root_hash": .string(firstRoot.description), "second_root_hash": .string(secondRoot.description),
            "proof": .array(proof.map { .string($0.description) }),
        ]))
    }
}
