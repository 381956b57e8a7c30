import Hummingbird
import LedgerCore
import LedgerStore

/// `GET /v1/stream`: an account's events after a position, in chain order, for SIEM pull and
/// `auditledger tail`. A long poll: with `wait` seconds, a request that finds nothing new waits
/// up to that long for events before answering with an empty page. Always returns the cursor
/// to continue from, so a reader never misses or repeats an event.
public struct StreamController: Sendable {
    static let defaultLimit = 100
    /// The longest `wait` a request may ask for; public so that `auditledger tail` refuses a
    /// longer `--wait` itself instead of sending it.
    public static let maxWaitSeconds = 60
    /// How often a waiting request looks again. The store is shared with other writers (the
    /// CLI, other nodes), so looking is the one signal that sees all of them.
    static let pollInterval = Duration.milliseconds(200)

    let ledger: any LedgerRepository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: stream)
    }

    @Sendable func stream(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.requireToken(.read)
        let parameters = try QueryParameters(request.uri.query, allowed: ["account", "cursor", "limit", "wait"])
        let account = try token.account(requested: parameters.single("account"))
        var position = StreamPosition.start
        if let text = try parameters.single("cursor") {
            guard let given = StreamPosition(token: text) else {
                throw APIError.badRequest("invalid_cursor", "cursor is not one this server issued")
            }
            position = given
        }
        let limit = try parameters.integer("limit", in: 1...SearchQuery.maxLimit) ?? Self.defaultLimit
        let wait = try parameters.integer("wait", in: 0...Self.maxWaitSeconds) ?? 0

        let deadline = ContinuousClock.now + .seconds(wait)
        var events = try await page(account: account, after: position, limit: limit)
        while events.isEmpty, ContinuousClock.now < deadline, !Task.isCancelled {
            try await Task.sleep(for: Self.pollInterval)
            events = try await page(account: account, after: position, limit: limit)
        }
        if let last = events.last { position = StreamPosition(accountSeq: last.accountSeq, receivedAt: last.receivedAt) }
        return .json(.object(["events": .array(events.map(\.json)), "next_cursor": .string(position.token)]))
    }

    /// Up to `limit` events after `position`. The export starts at the first event received at
    /// the position's time; the few before the position with that same time are skipped.
    private func page(account: String, after position: StreamPosition, limit: Int) async throws -> [StoredEvent] {
        let from = position.accountSeq == 0 ? nil : position.receivedAt
        let cursor = try await ledger.export(ExportRequest(account: account, receivedFrom: from))
        do {
            var events: [StoredEvent] = []
            while events.count < limit {
                let batch = try await cursor.next(limit)
                if batch.isEmpty { break }
                events += batch.lazy.filter { $0.accountSeq > position.accountSeq }.prefix(limit - events.count)
            }
            await cursor.close()
            return events
        } catch {
            await cursor.close()
            throw error
        }
    }
}
