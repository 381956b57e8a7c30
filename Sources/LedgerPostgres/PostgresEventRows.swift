import LedgerCore
import Logging
import PostgresNIO

/// The rows one commit writes, column by column, inserted set-based: one
/// `INSERT … SELECT … FROM unnest(…)` per table, whatever the number of events.
///
/// PostgreSQL arrays from the driver cannot hold NULL, so nullable columns travel with a
/// sentinel: an empty client id or IP (never valid values) and a flag for country and city.
struct PostgresEventRows {
    private var seq: [Int64] = [], account: [String] = [], accountSeq: [Int64] = [], clientID: [String] = []
    private var name: [String] = [], actorID: [String] = [], occurredAt: [Int64] = [], receivedAt: [Int64] = []
    private var outcome: [Int32] = [], ip: [ByteBuffer] = [], hasCountry: [Bool] = [], countryCode: [String] = []
    private var hasCity: [Bool] = [], city: [String] = [], hash: [ByteBuffer] = [], canonical: [ByteBuffer] = []
    private var words: [String] = []

    private var targetAccount: [String] = [], targetType: [String] = [], targetID: [String] = [], targetSeq: [Int64] = []
    private var keyAccount: [String] = [], keyClientID: [String] = [], keySeq: [Int64] = [], keyDigest: [ByteBuffer] = []
    private var newAccount: [String] = [], newAccountSeq: [Int64] = []
    private var nameAccount: [String] = [], newName: [String] = []
    private var nodeLevel: [Int32] = [], nodeIndex: [Int64] = [], nodeHash: [ByteBuffer] = []

    var isEmpty: Bool { seq.isEmpty }

    /// Adds one sealed event and the rows derived from it.
    /// - Parameters:
    ///   - contentDigest: the idempotency digest, stored when the event has a client id.
    ///   - isNewName: whether `account_names` may not hold (account, name) yet.
    ///   - nodes: the Merkle nodes the event's leaf completed.
    mutating func add(_ event: StoredEvent, canonical bytes: [UInt8], contentDigest: [UInt8], isNewName: Bool, nodes: [MerkleNode]) {
        let content = event.content
        let rowSeq = Int64(event.seq)
        seq.append(rowSeq)
        account.append(content.account)
        accountSeq.append(Int64(event.accountSeq))
        clientID.append(content.clientID ?? "")
        name.append(content.name)
        actorID.append(content.actor.id)
        occurredAt.append(content.occurredAt.microseconds)
        receivedAt.append(event.receivedAt.microseconds)
        outcome.append(Int32(content.outcome.rawValue))
        ip.append(ByteBuffer(content.ip?.bytes16 ?? []))
        hasCountry.append(event.geo.location?.countryCode != nil)
        countryCode.append(event.geo.location?.countryCode ?? "")
        hasCity.append(event.geo.location?.city != nil)
        city.append(event.geo.location?.city ?? "")
        hash.append(ByteBuffer(event.hash.bytes))
        canonical.append(ByteBuffer(bytes))
        words.append(PostgresFullText.lexemes(for: content))

        for target in content.targets {
            targetAccount.append(content.account)
            targetType.append(target.type)
            targetID.append(target.id)
            targetSeq.append(rowSeq)
        }
        if let id = content.clientID {
            keyAccount.append(content.account)
            keyClientID.append(id)
            keySeq.append(rowSeq)
            keyDigest.append(ByteBuffer(contentDigest))
        }
        if event.accountSeq == 1 {
            newAccount.append(content.account)
            newAccountSeq.append(rowSeq)
        }
        if isNewName {
            nameAccount.append(content.account)
            newName.append(content.name)
        }
        for node in nodes {
            nodeLevel.append(Int32(node.id.level))
            nodeIndex.append(Int64(node.id.index))
            nodeHash.append(ByteBuffer(node.hash.bytes))
        }
    }

    /// Writes every row, one statement per table.
    func insert(on connection: PostgresConnection, logger: Logger) async throws {
        if seq.isEmpty { return }
        try await connection.execute("""
            INSERT INTO events (seq, account, account_seq, client_id, name, actor_id, occurred_at, received_at,
                                outcome, ip, country_code, city, hash, canonical, words)
            SELECT seq, account, account_seq, NULLIF(client_id, ''), name, actor_id, occurred_at, received_at,
                   outcome, NULLIF(ip, ''::bytea), CASE WHEN has_country THEN country_code END,
                   CASE WHEN has_city THEN city END, hash, canonical, array_to_tsvector(string_to_array(words, ' '))
            FROM unnest(\(seq)::bigint[], \(account)::text[], \(accountSeq)::bigint[], \(clientID)::text[],
                        \(name)::text[], \(actorID)::text[], \(occurredAt)::bigint[], \(receivedAt)::bigint[],
                        \(outcome)::integer[], \(ip)::bytea[], \(hasCountry)::boolean[], \(countryCode)::text[],
                        \(hasCity)::boolean[], \(city)::text[], \(hash)::bytea[], \(canonical)::bytea[], \(words)::text[])
                AS r(seq, account, account_seq, client_id, name, actor_id, occurred_at, received_at, outcome, ip,
                     has_country, country_code, has_city, city, hash, canonical, words)
            """, logger: logger)
        if !targetSeq.isEmpty {
            // An event may name the same target twice; it is indexed once.
            try await connection.execute("""
                INSERT INTO event_targets (account, target_type, target_id, seq)
                SELECT * FROM unnest(\(targetAccount)::text[], \(targetType)::text[], \(targetID)::text[], \(targetSeq)::bigint[])
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        if !keySeq.isEmpty {
            try await connection.execute("""
                INSERT INTO idempotency_keys (account, client_id, seq, content_digest)
                SELECT * FROM unnest(\(keyAccount)::text[], \(keyClientID)::text[], \(keySeq)::bigint[], \(keyDigest)::bytea[])
                """, logger: logger)
        }
        if !newAccount.isEmpty {
            try await connection.execute("""
                INSERT INTO accounts (account, first_seq) SELECT * FROM unnest(\(newAccount)::text[], \(newAccountSeq)::bigint[])
                """, logger: logger)
        }
        if !newName.isEmpty {
            // Another node, or this one before its cache was emptied, may have recorded the name.
            try await connection.execute("""
                INSERT INTO account_names (account, name) SELECT * FROM unnest(\(nameAccount)::text[], \(newName)::text[])
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        if !nodeLevel.isEmpty {
            try await connection.execute("""
                INSERT INTO merkle_nodes (level, idx, hash)
                SELECT * FROM unnest(\(nodeLevel)::integer[], \(nodeIndex)::bigint[], \(nodeHash)::bytea[])
                """, logger: logger)
        }
    }
}
