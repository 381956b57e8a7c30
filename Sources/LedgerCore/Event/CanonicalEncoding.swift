import Foundation

/// The canonical byte encoding of a stored event: the bytes its hash covers.
///
/// It must never change for a format version once events exist in it, so every detail is
/// fixed here and pinned by a golden test. Version 1, all integers big-endian:
///
/// ```
/// u8      format version = 0x01
/// u64     seq
/// u64     account_seq
/// i64     received_at              microseconds since 1970-01-01T00:00:00Z
/// str     account
/// opt str id                       the client's event id
/// str     name
/// str     actor.id
/// opt str actor.name
/// opt str actor.email
/// opt str actor.type
/// opt ip  ip                       u8 length (4 or 16) + address bytes
/// i64     occurred_at              microseconds since the epoch
/// u8      outcome                  0 success, 1 failure
/// u32     target count, then per target: str type, str id, opt str name
/// opt str description
/// opt str user_agent
/// opt str metadata                 canonical JSON text (sorted keys, no whitespace)
/// u8      geo_status               0 ok, 1 private, 2 not_found, 3 no_ip, 4 no_database
/// opt geo location:
///         opt str country_code, opt str country, opt str subdivision_code,
///         opt str subdivision, opt str city, opt str postal_code,
///         opt f64 latitude, opt f64 longitude  (IEEE 754 binary64 bits),
///         opt u32 accuracy_radius_km, opt str time_zone, opt str continent_code,
///         opt str database_type, opt u64 database_build_epoch
/// 32 B    previous hash in the account (zeros for the account's first event)
/// ```
///
/// `str` is a u32 byte length followed by UTF-8; `opt X` is a byte 0x00 (absent) or 0x01
/// followed by X. The version byte comes first so that a later format (for instance one that
/// commits to personal fields by salted hash) can be added while version 1 events still verify.
public enum CanonicalEncoding {
    public static let version: UInt8 = 1

    public static func encode(_ event: StoredEvent) -> [UInt8] {
        var writer = CanonicalWriter()
        writer.reserve(256 + (event.content.metadata?.utf8.count ?? 0) + (event.content.description?.utf8.count ?? 0))
        writer.write(version)
        writer.write(event.seq)
        writer.write(event.accountSeq)
        writer.write(event.receivedAt.microseconds)
        writer.writeContent(event.content, includeOccurredAt: true)
        writer.write(event.geo.status.rawValue)
        writer.writeOptional(event.geo.location) { writer, location in writer.writeLocation(location) }
        writer.writeFixed(event.previousHash.bytes)
        return writer.bytes
    }

    /// Decodes canonical bytes back into the event they encode; `hash` is recomputed from them.
    public static func decode(_ bytes: [UInt8]) throws(CanonicalDecodingError) -> StoredEvent {
        var reader = CanonicalReader(bytes)
        let formatVersion = try reader.readByte()
        guard formatVersion == version else { throw .unsupportedVersion(formatVersion) }
        let seq = try reader.readUInt64()
        let accountSeq = try reader.readUInt64()
        let receivedAt = Timestamp(microseconds: try reader.readInt64())
        let content = try reader.readContent()
        guard let status = GeoStatus(rawValue: try reader.readByte()) else { throw .malformed("geo_status") }
        let location = try reader.readOptional { reader throws(CanonicalDecodingError) in try reader.readLocation() }
        guard let previousHash = MerkleHash(bytes: try reader.readFixed(32)) else { throw .truncated }
        guard reader.isAtEnd else { throw .malformed("trailing bytes") }
        return StoredEvent(seq: seq, accountSeq: accountSeq, receivedAt: receivedAt, content: content,
                           geo: GeoResult(status: status, location: location), previousHash: previousHash,
                           hash: EventHash.leafHash(of: bytes))
    }
}

public enum CanonicalDecodingError: Error, Equatable, CustomStringConvertible {
    case unsupportedVersion(UInt8)
    case truncated
    case malformed(String)

    public var description: String {
        switch self {
        case .unsupportedVersion(let version): "unsupported canonical format version \(version)"
        case .truncated: "canonical bytes end early"
        case .malformed(let field): "malformed canonical bytes at \(field)"
        }
    }
}

/// Appends canonical fields to a byte buffer.
struct CanonicalWriter {
    private(set) var bytes: [UInt8] = []

    mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }
    mutating func write(_ byte: UInt8) { bytes.append(byte) }
    // Big-endian, appended in one go: these run for every field of every event on the writer thread.
    mutating func write(_ value: UInt32) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }
    mutating func write(_ value: UInt64) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }
    mutating func write(_ value: Int64) { write(UInt64(bitPattern: value)) }
    mutating func write(_ value: Double) { write(value.bitPattern) }
    mutating func writeFixed(_ raw: [UInt8]) { bytes += raw }

    mutating func write(_ text: String) {
        write(UInt32(text.utf8.count))
        bytes += text.utf8
    }

    mutating func writeOptional<T>(_ value: T?, _ body: (inout CanonicalWriter, T) -> Void) {
        guard let value else { return write(UInt8(0)) }
        write(UInt8(1))
        body(&self, value)
    }

    mutating func writeOptional(_ text: String?) { writeOptional(text) { $0.write($1) } }

    /// The client's content, in canonical order. The idempotency digest writes `occurred_at` as
    /// optional (it is absent when the ledger defaulted it); the stored encoding always has it.
    mutating func writeContent(_ content: EventContent, includeOccurredAt: Bool) {
        write(content.account)
        writeOptional(content.clientID)
        write(content.name)
        write(content.actor.id)
        writeOptional(content.actor.name)
        writeOptional(content.actor.email)
        writeOptional(content.actor.type?.rawValue)
        writeOptional(content.ip) { writer, ip in
            writer.write(UInt8(ip.bytes.count))
            writer.writeFixed(ip.bytes)
        }
        if includeOccurredAt { write(content.occurredAt.microseconds) }
        write(content.outcome.rawValue)
        write(UInt32(content.targets.count))
        for target in content.targets {
            write(target.type)
            write(target.id)
            writeOptional(target.name)
        }
        writeOptional(content.description)
        writeOptional(content.userAgent)
        writeOptional(content.metadata)
    }

    mutating func writeLocation(_ location: GeoLocation) {
        writeOptional(location.countryCode)
        writeOptional(location.country)
        writeOptional(location.subdivisionCode)
        writeOptional(location.subdivision)
        writeOptional(location.city)
        writeOptional(location.postalCode)
        writeOptional(location.latitude) { $0.write($1) }
        writeOptional(location.longitude) { $0.write($1) }
        writeOptional(location.accuracyRadiusKm) { $0.write($1) }
        writeOptional(location.timeZone)
        writeOptional(location.continentCode)
        writeOptional(location.databaseType)
        writeOptional(location.databaseBuildEpoch) { $0.write($1) }
    }
}

/// Reads canonical fields back, refusing anything truncated or malformed.
struct CanonicalReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func readByte() throws(CanonicalDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readFixed(_ count: Int) throws(CanonicalDecodingError) -> [UInt8] {
        guard count <= bytes.count - offset else { throw .truncated }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    private mutating func readBigEndian(_ width: Int) throws(CanonicalDecodingError) -> UInt64 {
        guard width <= bytes.count - offset else { throw .truncated }
        var value: UInt64 = 0
        for index in offset..<offset + width { value = value << 8 | UInt64(bytes[index]) }
        offset += width
        return value
    }

    mutating func readUInt32() throws(CanonicalDecodingError) -> UInt32 { UInt32(try readBigEndian(4)) }
    mutating func readUInt64() throws(CanonicalDecodingError) -> UInt64 { try readBigEndian(8) }
    mutating func readInt64() throws(CanonicalDecodingError) -> Int64 { Int64(bitPattern: try readBigEndian(8)) }
    mutating func readDouble() throws(CanonicalDecodingError) -> Double { Double(bitPattern: try readBigEndian(8)) }

    mutating func readString() throws(CanonicalDecodingError) -> String {
        let count = Int(try readUInt32())
        guard count <= bytes.count - offset else { throw .truncated }
        defer { offset += count }
        let stored = bytes[offset..<offset + count]
        // Not `String(validating:as:)`: unspecialised, it looked up generic metadata for every
        // field and was a fifth of a search's CPU (Benchmarks/PROFILES.md). `String(decoding:)`
        // is fast but replaces invalid UTF-8 instead of failing, so compare what came out: bytes
        // that were not valid UTF-8 never survive the round trip. `memcmp`, because
        // `elementsEqual` compared a byte at a time and was a sixth of a 1M-event search's CPU
        // (Benchmarks/PROFILES.md, "Search at 1M: the UTF-8 check").
        var text = stored.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        let roundTrips = text.withUTF8 { decoded in
            stored.withUnsafeBufferPointer { raw in
                decoded.count == raw.count && (raw.isEmpty || memcmp(decoded.baseAddress!, raw.baseAddress!, raw.count) == 0)
            }
        }
        guard roundTrips else { throw .malformed("invalid UTF-8") }
        return text
    }

    mutating func readOptional<T>(_ body: (inout CanonicalReader) throws(CanonicalDecodingError) -> T) throws(CanonicalDecodingError) -> T? {
        switch try readByte() {
        case 0: return nil
        case 1: return try body(&self)
        default: throw .malformed("optional marker")
        }
    }

    mutating func readOptionalString() throws(CanonicalDecodingError) -> String? {
        try readOptional { reader throws(CanonicalDecodingError) in try reader.readString() }
    }

    mutating func readContent() throws(CanonicalDecodingError) -> EventContent {
        let account = try readString()
        let clientID = try readOptionalString()
        let name = try readString()
        let actorID = try readString()
        let actorName = try readOptionalString()
        let actorEmail = try readOptionalString()
        let actorType = try readOptionalString()
        let ip = try readOptional { reader throws(CanonicalDecodingError) -> IPAddress in
            let length = Int(try reader.readByte())
            guard length == 4 || length == 16, let ip = IPAddress(bytes: try reader.readFixed(length)) else {
                throw .malformed("ip")
            }
            return ip
        }
        let occurredAt = Timestamp(microseconds: try readInt64())
        guard let outcome = Outcome(rawValue: try readByte()) else { throw .malformed("outcome") }
        let targetCount = Int(try readUInt32())
        guard targetCount <= 1_000 else { throw .malformed("target count") }
        var targets: [EventTarget] = []
        for _ in 0..<targetCount {
            targets.append(EventTarget(type: try readString(), id: try readString(), name: try readOptionalString()))
        }
        var type: ActorType? = nil
        if let actorType {
            guard let parsed = ActorType(rawValue: actorType) else { throw .malformed("actor.type") }
            type = parsed
        }
        return EventContent(
            clientID: clientID, account: account, name: name,
            actor: EventActor(id: actorID, name: actorName, email: actorEmail, type: type),
            ip: ip, occurredAt: occurredAt, targets: targets, outcome: outcome,
            description: try readOptionalString(), userAgent: try readOptionalString(),
            metadata: try readOptionalString())
    }

    mutating func readLocation() throws(CanonicalDecodingError) -> GeoLocation {
        GeoLocation(
            countryCode: try readOptionalString(), country: try readOptionalString(),
            subdivisionCode: try readOptionalString(), subdivision: try readOptionalString(),
            city: try readOptionalString(), postalCode: try readOptionalString(),
            latitude: try readOptional { reader throws(CanonicalDecodingError) in try reader.readDouble() },
            longitude: try readOptional { reader throws(CanonicalDecodingError) in try reader.readDouble() },
            accuracyRadiusKm: try readOptional { reader throws(CanonicalDecodingError) in try reader.readUInt32() },
            timeZone: try readOptionalString(), continentCode: try readOptionalString(),
            databaseType: try readOptionalString(),
            databaseBuildEpoch: try readOptional { reader throws(CanonicalDecodingError) in try reader.readUInt64() })
    }
}
