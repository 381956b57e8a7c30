import HTTPTypes
import Hummingbird
import LedgerCore
import LedgerStore
import NIOCore

/// `GET /v1/key`, `GET`/`POST /v1/checkpoint` and `GET /v1/proofs/{inclusion,consistency}`:
/// what an auditor needs to check that an event is in the ledger and that the ledger only
/// ever grew, against checkpoints signed by a key pinned from `/v1/key`.
///
/// The tree covers every account, so its size, roots and checkpoints are not one account's
/// data; an inclusion proof, which names an event, is served only for an event of the token's
/// account (any other `seq` is "Resource not found", as for `GET /v1/events/{seq}`).
struct ProofsController: Sendable {
    let ledger: any LedgerRepository
    let checkpoints: (any CheckpointProviding)?

    /// `GET /v1/key`, outside the authenticated group: a key meant to be pinned must be
    /// fetchable by anyone, and it is public by nature.
    func addPublicRoutes(to router: Router<AppRequestContext>) {
        router.get("v1/key", use: key)
    }

    func addRoutes(checkpoint: RouterGroup<AppRequestContext>, proofs: RouterGroup<AppRequestContext>) {
        checkpoint.get(use: checkpointNote)
        checkpoint.post(use: signNow)
        proofs.get("inclusion", use: inclusion)
        proofs.get("consistency", use: consistency)
    }

    private func signed() throws(APIError) -> any CheckpointProviding {
        guard let checkpoints else { throw APIError.signingUnavailable }
        return checkpoints
    }

    @Sendable func key(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let verifier = try signed().verifier
        let keyHash = String(verifier.keyHash, radix: 16)
        return .json(.object([
            "verifier_key": .string(verifier.verifierKey), "origin": .string(verifier.name),
            "key_hash": .string(String(repeating: "0", count: 8 - keyHash.count) + keyHash), "algorithm": "ed25519",
        ]))
    }

    /// The latest signed checkpoint (signed now when the ledger has none), or with `tree_size`
    /// the first one at or after that size. JSON by default; the signed note itself, as
    /// `text/plain`, with `format=note` or `Accept: text/plain`.
    @Sendable func checkpointNote(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireToken(.read)
        let parameters = try QueryParameters(request.uri.query, allowed: ["tree_size", "format"])
        let asNote = try Self.wantsNote(parameters, request)
        let checkpoints = try signed()
        let checkpoint: StoredCheckpoint
        if let size = try parameters.unsigned("tree_size") {
            let current = try await ledger.treeHead().size
            guard size <= current else {
                throw APIError.badRequest("invalid_tree_size", "tree size \(size) is larger than the ledger (\(current) events)")
            }
            guard let found = try await checkpoints.checkpoint(atLeast: size) else {
                throw APIError(.notFound, code: "checkpoint_not_found",
                               message: "No signed checkpoint covers tree size \(size) yet; the next scheduled one will")
            }
            checkpoint = found
        } else {
            checkpoint = try await checkpoints.latest()
        }
        return asNote ? Self.note(checkpoint) : Self.json(checkpoint, verifier: checkpoints.verifier)
    }

    /// `POST /v1/checkpoint`: signs the current tree now (admin). 201 with the new checkpoint,
    /// or 200 with the latest when it already covers every event.
    @Sendable func signNow(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireToken(.admin)
        _ = try QueryParameters(request.uri.query, allowed: [])
        let (checkpoint, isNew) = try await signed().signNow()
        return Self.json(checkpoint, verifier: try signed().verifier, status: isNew ? .created : .ok)
    }

    /// Inclusion of one of the account's events. Without `tree_size` the proof is against the
    /// latest signed checkpoint (one is signed now when the latest predates the event), and
    /// that checkpoint's note comes with it, so the proof can be checked against a signature
    /// at once. With `tree_size` the note is included when a checkpoint of exactly that size
    /// exists.
    @Sendable func inclusion(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.requireToken(.read)
        let parameters = try QueryParameters(request.uri.query, allowed: ["account", "seq", "tree_size"])
        let account = try token.account(requested: parameters.single("account"))
        guard let seq = try parameters.unsigned("seq") else { throw APIError.invalidParameter("seq", "is required") }
        let requestedSize = try parameters.unsigned("tree_size")
        guard let event = try await ledger.event(account: account, seq: seq) else { throw APIError.notFound }
        let checkpoints = try signed()
        let treeSize: UInt64, root: MerkleHash, proof: [MerkleHash], note: String?
        if let requestedSize {
            guard seq <= requestedSize else {
                throw APIError.invalidParameter("tree_size", "must be at least seq (\(seq)): the event is not in a smaller tree")
            }
            treeSize = requestedSize
            proof = try await ledger.inclusionProof(seq: seq, treeSize: treeSize)
            root = try await ledger.root(treeSize: treeSize)
            note = try await checkpoints.checkpoint(atLeast: treeSize).flatMap { $0.treeSize == treeSize ? $0.signedNote : nil }
        } else {
            let evidence = try await checkpoints.inclusion(of: seq)
            treeSize = evidence.checkpoint.treeSize
            root = evidence.checkpoint.rootHash
            proof = evidence.proof
            note = evidence.checkpoint.signedNote
        }
        var object: JSONObject = [
            "seq": JSONValue(integer: seq), "leaf_index": JSONValue(integer: seq - 1),
            "tree_size": JSONValue(integer: treeSize), "leaf_hash": .string(event.hash.description),
            "root_hash": .string(root.description), "proof": .array(proof.map { .string($0.description) }),
        ]
        if let note { object["signed_note"] = .string(note) }
        return .json(.object(object))
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

    /// `format` wins; without it, an `Accept` that names `text/plain` and not JSON asks for the note.
    static func wantsNote(_ parameters: QueryParameters, _ request: Request) throws(APIError) -> Bool {
        switch try parameters.single("format") {
        case "note"?: return true
        case "json"?: return false
        case nil:
            let accept = request.headers[values: .accept].joined(separator: ",").lowercased()
            return accept.contains("text/plain") && !accept.contains("application/json")
        default: throw APIError.invalidParameter("format", "must be json or note")
        }
    }

    static func note(_ checkpoint: StoredCheckpoint) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: checkpoint.signedNote)))
    }

    static func json(_ checkpoint: StoredCheckpoint, verifier: NoteVerifier, status: HTTPResponse.Status = .ok) -> Response {
        .json(.object([
            "tree_size": JSONValue(integer: checkpoint.treeSize), "root_hash": .string(checkpoint.rootHash.description),
            "signed_note": .string(checkpoint.signedNote), "origin": .string(verifier.name),
            "signed_at": .string(checkpoint.createdAt.rfc3339),
        ]), status: status)
    }
}
