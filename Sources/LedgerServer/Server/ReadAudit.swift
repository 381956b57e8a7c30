import LedgerCore
import LedgerStore

/// Records the reads account owners make as events in their own account
/// (`auditledger.search`, `auditledger.export`): who looked at the audit log is itself audited.
///
/// The record is appended, durably, before the response is sent: a read that cannot be
/// recorded is refused rather than served unaudited.
struct ReadAudit: Sendable {
    let ledger: any LedgerRepository
    let enricher: GeoEnricher
    let clock: any TimestampClock

    /// Appends the record and returns its receipt once it is durable.
    @discardableResult
    func record(_ name: String, by token: APIToken, account: String, filters: JSONObject,
                from address: IPAddress?) async throws -> AppendReceipt {
        let content = EventContent(
            account: account, name: name,
            actor: EventActor(id: token.id, name: token.name, type: .service),
            ip: address, occurredAt: clock.now(),
            metadata: Self.metadata(filters))
        let event = NewEvent(content: content, occurredAtGiven: false, geo: enricher.enrich(address))
        guard let receipt = try await ledger.append([event]).first else {
            throw APIError(.internalServerError, code: "internal_error", message: "Internal error")
        }
        return receipt
    }

    /// Records the read and returns the time the ledger received the record. The writer gives
    /// receive times that never decrease along `seq` (it takes the later of the clock and the
    /// last time it gave), one commit after another; so once the record is durable, every event
    /// received before its time is stored, and every later one will be received at or after it:
    /// a range ending (exclusively) at that time never changes again.
    func recordReceivedAt(_ name: String, by token: APIToken, account: String, filters: JSONObject,
                          from address: IPAddress?) async throws -> Timestamp {
        let receipt = try await record(name, by: token, account: account, filters: filters, from: address)
        guard let event = try await ledger.event(account: account, seq: receipt.seq) else {
            throw APIError(.internalServerError, code: "internal_error", message: "Internal error")
        }
        return event.receivedAt
    }

    /// The filters as metadata, within the event model's limits (a query string may be longer
    /// than metadata may be: then its size is recorded instead of its text).
    static func metadata(_ filters: JSONObject) -> String {
        let text = JSONValue.object(filters).canonicalText
        if text.utf8.count <= EventRules.maxMetadataBytes / 2 { return text }
        return JSONValue.object(["filters_truncated": true, "filters_bytes": JSONValue(integer: text.utf8.count)]).canonicalText
    }
}
