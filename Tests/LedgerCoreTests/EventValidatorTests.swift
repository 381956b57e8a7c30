import LedgerCore
import Testing

@Suite struct EventValidatorTests {
    static let now = Timestamp(rfc3339: "2026-11-21T12:00:00Z")!
    let validator = EventValidator(now: EventValidatorTests.now)

    static let valid: JSONValue = [
        "id": "evt-1", "account": "acme", "name": "stack.deploy",
        "actor": ["id": "u_42", "name": "Jane", "email": "jane@acme.example", "type": "user"],
        "ip": "81.2.69.142", "occurred_at": "2026-11-21T11:00:00Z",
        "targets": [["type": "stack", "id": "production", "name": "Production"]],
        "outcome": "failure", "description": "Deployed", "user_agent": "curl/8", "metadata": ["commit": "9f2c1e", "n": 1],
    ]

    func issues(_ change: (inout JSONObject) -> Void) -> [ValidationIssue] {
        var object = Self.valid.objectValue!
        change(&object)
        if case .failure(let failure) = validator.validate(.object(object)) { return failure.issues }
        return []
    }

    @Test func aFullyValidEventIsNormalised() throws {
        let event = try validator.validate(Self.valid).get()
        #expect(event.content.clientID == "evt-1")
        #expect(event.content.actor == EventActor(id: "u_42", name: "Jane", email: "jane@acme.example", type: .user))
        #expect(event.content.ip == IPAddress("81.2.69.142"))
        #expect(event.content.outcome == .failure)
        #expect(event.content.metadata == #"{"commit":"9f2c1e","n":1}"#)
        #expect(event.occurredAtGiven)
    }

    @Test func minimalEventGetsDefaults() throws {
        let event = try validator.validate(["account": "acme", "name": "user.login", "actor": ["id": "u"]]).get()
        #expect(event.content.occurredAt == Self.now)
        #expect(!event.occurredAtGiven)
        #expect(event.content.outcome == .success)
        #expect(event.content.targets.isEmpty)
    }

    /// Every rule of the event model: a value that breaks it, and the field it is reported on.
    static let badCases: [(String, JSONValue?, String)] = [
        ("id", "", "id"), ("id", "has space", "id"), ("id", .string(String(repeating: "a", count: 129)), "id"), ("id", 5, "id"),
        ("account", "Acme", "account"), ("account", "-acme", "account"), ("account", .string(String(repeating: "a", count: 65)), "account"),
        ("account", nil, "account"),
        ("name", "Stack.Deploy", "name"), ("name", "stack..deploy", "name"), ("name", "stack.", "name"), ("name", "stack-deploy", "name"),
        ("name", .string(String(repeating: "a", count: 129)), "name"), ("name", nil, "name"), ("name", ["x"], "name"),
        ("actor", nil, "actor"), ("actor", "u_42", "actor"), ("actor", ["name": "no id"], "actor.id"),
        ("actor", ["id": .string(String(repeating: "u", count: 257))], "actor.id"), ("actor", ["id": "u", "type": "robot"], "actor.type"),
        ("actor", ["id": "u", "email": "not-an-email"], "actor.email"), ("actor", ["id": "u", "role": "admin"], "actor.role"),
        ("actor", ["id": "u\u{0}x"], "actor.id"),
        ("ip", "999.1.1.1", "ip"), ("ip", "081.2.69.1", "ip"), ("ip", "fe80::1%eth0", "ip"), ("ip", "localhost", "ip"), ("ip", 1234, "ip"),
        ("occurred_at", "2026-11-21 11:00", "occurred_at"), ("occurred_at", "2026-02-30T00:00:00Z", "occurred_at"),
        ("occurred_at", "2026-11-21T12:06:00Z", "occurred_at"), ("occurred_at", 1_763_700_000, "occurred_at"),
        ("targets", "stack", "targets"), ("targets", .array(Array(repeating: ["type": "a", "id": "b"], count: 11)), "targets"),
        ("targets", [["type": "stack"]], "targets[0].id"), ("targets", [["id": "x"]], "targets[0].type"),
        ("targets", [["type": "stack", "id": "x", "owner": "y"]], "targets[0].owner"), ("targets", ["x"], "targets[0]"),
        ("outcome", "ok", "outcome"), ("outcome", true, "outcome"),
        ("description", .string(String(repeating: "d", count: 2049)), "description"), ("description", "bell\u{7}", "description"),
        ("user_agent", .string(String(repeating: "u", count: 1025)), "user_agent"),
        ("metadata", "text", "metadata"), ("metadata", [1, 2], "metadata"),
        ("metadata", ["a": ["b": ["c": ["d": ["e": ["f": ["g": ["h": ["i": 1]]]]]]]]], "metadata"),
        ("metadata", ["big": .string(String(repeating: "m", count: 16 * 1024))], "metadata"),
        ("surprise", "x", "surprise"),
    ]

    @Test(arguments: badCases)
    func eachRuleIsEnforcedOnItsField(field: String, value: JSONValue?, reportedOn: String) {
        let found = issues { $0[field] = value }
        #expect(found.contains { $0.field == reportedOn }, "\(field)=\(String(describing: value)) → \(found)")
    }

    @Test func goodEdgeValuesPass() throws {
        for (field, value) in [
            ("id", JSONValue.string(String(repeating: "a", count: 128))), ("account", "a"), ("account", "a.b-c_d"),
            ("name", "a"), ("ip", "::ffff:81.2.69.142"), ("ip", "2001:db8::1"), ("occurred_at", "2026-11-21T12:04:59Z"),
            ("occurred_at", "2026-11-21T13:00:00+02:00"), ("targets", .array(Array(repeating: ["type": "a", "id": "b"], count: 10))),
            ("description", .string(String(repeating: "d", count: 2048))), ("metadata", ["a": ["b": ["c": ["d": ["e": ["f": ["g": ["h": 1]]]]]]]]),
            ("description", nil), ("metadata", nil),
        ] as [(String, JSONValue?)] {
            #expect(issues { $0[field] = value }.isEmpty, "\(field)=\(String(describing: value))")
        }
    }

    @Test(arguments: [
        ("jane@acme.example", true), ("a@b.c", true), ("j.doe+audit@mail.acme.example", true), ("ünï@ëxample.de", true),
        ("", false), ("a@b", false), ("jane@", false), ("@acme.example", false), ("jane@acme", false),
        ("jane@.acme.example", false), ("jane@acme.example.", false), ("jane@@acme.example", false),
        ("jane@acme@example.com", false), ("jane doe@acme.example", false), ("jane@acme.example\n", false),
        ("jane\t@acme.example", false), ("jane\u{A0}@acme.example", false), ("jane@acme\u{2003}.example", false),
        ("jane@" + String(repeating: "a", count: 320) + ".example", false),
    ])
    func emailsAreCheckedLoosely(email: String, plausible: Bool) {
        #expect(EventRules.isPlausibleEmail(email) == plausible, "\(email)")
    }

    @Test func ipv4MappedAddressesAreStoredAsIPv4() throws {
        var object = Self.valid.objectValue!
        object["ip"] = "::ffff:81.2.69.142"
        #expect(try validator.validate(.object(object)).get().content.ip?.description == "81.2.69.142")
    }

    @Test func everyProblemOfAnEventIsReported() {
        let found = issues {
            $0["name"] = "Bad Name"
            $0["ip"] = "nope"
            $0["outcome"] = "maybe"
            $0["extra"] = 1
        }
        #expect(Set(found.map(\.field)) == ["name", "ip", "outcome", "extra"])
    }

    @Test func idempotencyKeyHeaderMustAgreeWithTheBody() throws {
        #expect(try validator.validate(Self.valid, idempotencyKey: "evt-1").get().content.clientID == "evt-1")
        var object = Self.valid.objectValue!
        object["id"] = nil
        #expect(try validator.validate(.object(object), idempotencyKey: "hdr-1").get().content.clientID == "hdr-1")
        if case .failure(let failure) = validator.validate(Self.valid, idempotencyKey: "other") {
            #expect(failure.issues.map(\.field) == ["id"])
        } else {
            Issue.record("a mismatching Idempotency-Key must be refused")
        }
    }

    @Test func boundAccountIsTheDefault() throws {
        var object = Self.valid.objectValue!
        object["account"] = nil
        let bound = EventValidator(now: Self.now, defaultAccount: "acme")
        #expect(try bound.validate(.object(object)).get().content.account == "acme")
    }

    @Test func batchReportsEveryInvalidItemWithItsIndex() {
        let batch: [JSONValue] = [Self.valid, ["name": "x"], Self.valid, "not an object"]
        guard case .failure(let failure) = validator.validate(batch: batch) else { Issue.record("expected failure"); return }
        #expect(Set(failure.issues.compactMap(\.index)) == [1, 3])
    }

    @Test func emptyOptionalTextIsStoredAsAbsent() throws {
        var object = Self.valid.objectValue!
        object["description"] = ""
        object["user_agent"] = ""
        let content = try validator.validate(.object(object)).get().content
        #expect(content.description == nil && content.userAgent == nil)
    }
}
