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

    func record(_ name: String, by token: APIToken, account: String, filters: JSONObject,
                from address: IPAddress?) async throws {
        let content = EventContent(
            account: account, name: name,
            actor: EventActor(id: token.id, name: token.name, type: .service),
            ip: address, occurredAt: clock.now(),
            metadata: Self.metadata(filters))
        let event = NewEvent(content: content, occurredAtGiven: false, geo: enricher.enrich(address))
        _ = try await ledger.append([event])
    }

    /// The filters as metadata, within the event model's limits (a query string may be longer
    /// than metadata may be: then its size is recorded instead of its text).
    static func metadata(_ filters: JSONObject) -> String {
        let text = JSONValue.object(filters).canonicalText
        if text.utf8.count <= EventRules.maxMetadataBytes / 2 { return text }
        return JSONValue.object(["filters_truncated": true, "filters_bytes": JSONValue(integer: text.utf8.count)]).canonicalText
    }
}
