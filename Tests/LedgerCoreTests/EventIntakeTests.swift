import LedgerCore
import Testing

@Suite struct EventIntakeTests {
    let intake = EventIntake(validator: EventValidator(now: Timestamp(rfc3339: "2026-11-21T12:00:00Z")!), enricher: GeoEnricher(locator: nil))
    let one = #"{"account":"acme","name":"user.login","actor":{"id":"u"},"ip":"10.0.0.1"}"#

    @Test func singleObjectArrayAndNDJSON() throws {
        let single = try intake.batch(from: Array(one.utf8), format: .json).get()
        #expect(!single.isBatch && single.events.count == 1)
        #expect(single.events[0].geo.status == .private)
        let array = try intake.batch(from: Array("[\(one),\(one)]".utf8), format: .json).get()
        #expect(array.isBatch && array.events.count == 2)
        let lines = try intake.batch(from: Array("\(one)\n\n\(one)\r\n".utf8), format: .ndjson).get()
        #expect(lines.isBatch && lines.events.count == 2)
    }

    @Test func badBodiesAreRefusedWithReasons() {
        func reason(_ body: String, _ format: EventBodyFormat = .json, key: String? = nil) -> String {
            guard case .failure(let failure) = intake.batch(from: Array(body.utf8), format: format, idempotencyKey: key) else { return "accepted" }
            return failure.issues.map(\.description).joined(separator: "; ")
        }
        #expect(reason("").contains("invalid JSON"))
        #expect(reason("[]").contains("no events"))
        #expect(reason("{\"a\":1,\"a\":2}").contains("duplicate key"))
        #expect(reason("[\(one),]").contains("invalid JSON"))
        #expect(reason("[" + Array(repeating: one, count: 1001).joined(separator: ",") + "]").contains("at most 1000"))
        #expect(reason("[\(one)]", key: "k").contains("Idempotency-Key"))
        #expect(reason("\(one)\n{oops}\n", .ndjson).contains("line 2"))
        #expect(reason(String(repeating: "[", count: 100_000)).contains("nesting"))
    }

    @Test func noLookupsHappenForAnInvalidBatch() {
        final class CountingLocator: GeoLocating, @unchecked Sendable {
            var calls = 0
            func locate(_ address: IPAddress) -> GeoResult { calls += 1; return GeoResult(status: .notFound) }
        }
        let locator = CountingLocator()
        let counting = EventIntake(validator: intake.validator, enricher: GeoEnricher(locator: locator))
        let good = #"{"account":"acme","name":"user.login","actor":{"id":"u"},"ip":"81.2.69.142"}"#
        _ = counting.batch(from: Array("[\(good),{\"name\":1}]".utf8), format: .json)
        #expect(locator.calls == 0)
        _ = counting.batch(from: Array("[\(good)]".utf8), format: .json)
        #expect(locator.calls == 1)
    }
}
