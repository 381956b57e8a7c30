#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMaxMindDB
import LedgerCore

/// Reads the fields the ledger stores from one City record in a single pass over the record's
/// data, decoding the MaxMind DB data format directly from the memory-mapped data section.
///
/// Why not `MMDB_aget_value` (see `PathCityRecordReader`): every call re-walks a map from its
/// start, decoding and skipping every entry before the one wanted, and the entries skipped are
/// mostly `names` maps in eight languages. Six root-map walks plus eleven sub-map walks per
/// record were ~90% of a lookup. Here each map is walked once, and only until the last wanted
/// key has been seen.
///
/// What libmaxminddb would answer is kept exactly, including for hostile data:
/// - the first occurrence of a key wins, and a value of an unexpected type is treated as absent;
/// - every value `MMDB_aget_value` would decode for these seventeen paths is decoded with the same
///   checks (offsets and sizes inside the data section, integer widths, 4-byte floats and 8-byte
///   doubles, keys that are strings, no pointer to a pointer), so a record one reader rejects
///   the other rejects too; nothing beyond that is decoded;
/// - `subdivisions/0` is index 0 of an array, or key "0" of a map, as in libmaxminddb.
/// Every read is bounds-checked against the data section before it happens, nesting is limited,
/// and a container skipped over cannot claim more entries than bytes remain (libmaxminddb would
/// fail on it too, only later), so no database can make a lookup crash or run away. Strings are copied once, straight from the map into the `String`
/// (invalid UTF-8 repaired exactly as before).
struct CityRecordReader {
    /// A decoding failure inside the data section.
    struct DecodeError: Error {
        let reason: String
        /// Nesting deeper than `maximumDepth`: see `end(of:depth:)`.
        var isNestingLimit = false
    }

    private let base: UnsafePointer<UInt8>?
    private let size: Int

    init(_ mmdb: UnsafePointer<MMDB_s>) {
        base = mmdb.pointee.data_section
        size = Int(mmdb.pointee.data_section_size)
    }

    // MARK: - Reading a City record

    func read(offset: UInt32, databaseType: String?, databaseBuildEpoch: UInt64?) throws(DecodeError) -> GeoLocation {
        var continentCode: String?, countryCode: String?, country: String?
        var subdivisionCode: String?, subdivision: String?, city: String?, postalCode: String?
        var latitude: Double?, longitude: Double?, accuracyRadiusKm: UInt32?, timeZone: String?

        let root = try decodeFollowing(Int(offset))
        if root.type == Self.map {
            var wanted: UInt8 = 0b11_1111
            try forEachEntry(of: root) { (key, value) throws(DecodeError) in
                let field: UInt8
                switch key.count {
                case 4 where matches(key, "city"): field = 1 << 0
                case 6 where matches(key, "postal"): field = 1 << 1
                case 7 where matches(key, "country"): field = 1 << 2
                case 8 where matches(key, "location"): field = 1 << 3
                case 9 where matches(key, "continent"): field = 1 << 4
                case 12 where matches(key, "subdivisions"): field = 1 << 5
                default: return true
                }
                guard wanted & field != 0 else { return true }
                wanted &= ~field
                let value = try following(value)
                switch field {
                case 1 << 0:
                    if value.type == Self.map { city = try englishName(in: value) }
                case 1 << 1:
                    if value.type == Self.map { postalCode = try string(at: "code", in: value) }
                case 1 << 2:
                    if value.type == Self.map { (countryCode, country) = try isoCodeAndEnglishName(in: value) }
                case 1 << 3:
                    if value.type == Self.map {
                        (latitude, longitude, accuracyRadiusKm, timeZone) = try place(in: value)
                    }
                case 1 << 4:
                    if value.type == Self.map { continentCode = try string(at: "code", in: value) }
                default:
                    if let first = try firstSubdivision(value), first.type == Self.map {
                        (subdivisionCode, subdivision) = try isoCodeAndEnglishName(in: first)
                    }
                }
                return wanted != 0
            }
        }
        return GeoLocation(
            countryCode: countryCode, country: country, subdivisionCode: subdivisionCode, subdivision: subdivision,
            city: city, postalCode: postalCode, latitude: latitude, longitude: longitude,
            accuracyRadiusKm: accuracyRadiusKm, timeZone: timeZone, continentCode: continentCode,
            databaseType: databaseType, databaseBuildEpoch: databaseBuildEpoch)
    }

    /// `names/en` of a map.
    private func englishName(in map: Item) throws(DecodeError) -> String? {
        var name: String?
        try forEachEntry(of: map) { (key, value) throws(DecodeError) in
            guard key.count == 5, matches(key, "names") else { return true }
            name = try englishName(ofNames: following(value))
            return false
        }
        return name
    }

    /// `names/en` given the value found at `names`: nil unless it is a map (an array has no
    /// element "en" either).
    private func englishName(ofNames names: Item) throws(DecodeError) -> String? {
        guard names.type == Self.map else { return nil }
        return try string(at: "en", in: names)
    }

    /// `iso_code` and `names/en` of a country or subdivision, in one walk of its map.
    private func isoCodeAndEnglishName(in map: Item) throws(DecodeError) -> (String?, String?) {
        var code: String?, name: String?
        var wanted: UInt8 = 0b11
        try forEachEntry(of: map) { (key, value) throws(DecodeError) in
            if key.count == 8, wanted & 1 != 0, matches(key, "iso_code") {
                wanted &= ~1
                code = try string(following(value))
            } else if key.count == 5, wanted & 2 != 0, matches(key, "names") {
                wanted &= ~2
                name = try englishName(ofNames: following(value))
            }
            return wanted != 0
        }
        return (code, name)
    }

    /// `latitude`, `longitude`, `accuracy_radius` and `time_zone` of the `location` map.
    private func place(in map: Item) throws(DecodeError) -> (Double?, Double?, UInt32?, String?) {
        var latitude: Double?, longitude: Double?, radius: UInt32?, timeZone: String?
        var wanted: UInt8 = 0b1111
        try forEachEntry(of: map) { (key, value) throws(DecodeError) in
            switch key.count {
            case 8 where wanted & 1 != 0 && matches(key, "latitude"):
                wanted &= ~1
                latitude = try double(following(value))
            case 9 where wanted & 2 != 0 && matches(key, "longitude"):
                wanted &= ~2
                longitude = try double(following(value))
            case 15 where wanted & 4 != 0 && matches(key, "accuracy_radius"):
                wanted &= ~4
                radius = try unsigned(following(value))
            case 9 where wanted & 8 != 0 && matches(key, "time_zone"):
                wanted &= ~8
                timeZone = try string(following(value))
            default:
                break
            }
            return wanted != 0
        }
        return (latitude, longitude, radius, timeZone)
    }

    /// What `subdivisions/0` leads to: element 0 of an array, or key "0" of a map.
    private func firstSubdivision(_ subdivisions: Item) throws(DecodeError) -> Item? {
        if subdivisions.type == Self.array {
            return subdivisions.count == 0 ? nil : try decodeFollowing(subdivisions.next)
        }
        guard subdivisions.type == Self.map else { return nil }
        var first: Item?
        try forEachEntry(of: subdivisions) { (key, value) throws(DecodeError) in
            guard key.count == 1, key.start < size, base![key.start] == UInt8(ascii: "0") else { return true }
            first = try following(value)
            return false
        }
        return first
    }

    /// The string at `name` in `map`, nil when absent or not a string.
    private func string(at name: StaticString, in map: Item) throws(DecodeError) -> String? {
        var result: String?
        try forEachEntry(of: map) { (key, value) throws(DecodeError) in
            guard key.count == name.utf8CodeUnitCount, matches(key, name) else { return true }
            result = try string(following(value))
            return false
        }
        return result
    }

    // MARK: - Values

    private func string(_ item: Item) -> String? {
        guard item.type == Self.utf8String else { return nil }
        guard item.count > 0, let base else { return "" }
        return String(decoding: UnsafeBufferPointer(start: base + item.start, count: item.count), as: UTF8.self)
    }

    private func double(_ item: Item) -> Double? {
        guard let base else { return nil }
        switch item.type {
        case Self.double:
            let value = Double(bitPattern: UInt64(bigEndian: UnsafeRawPointer(base + item.start).loadUnaligned(as: UInt64.self)))
            return value.isFinite ? value : nil
        case Self.float:
            let value = Float(bitPattern: UInt32(bigEndian: UnsafeRawPointer(base + item.start).loadUnaligned(as: UInt32.self)))
            return value.isFinite ? Double(value) : nil
        default:
            return nil
        }
    }

    private func unsigned(_ item: Item) -> UInt32? {
        guard item.type == Self.uint16 || item.type == Self.uint32, let base else { return nil }
        var value: UInt32 = 0
        for index in 0..<item.count { value = value << 8 | UInt32(base[item.start + index]) }
        return item.type == Self.uint16 ? UInt32(UInt16(truncatingIfNeeded: value)) : value
    }

    // MARK: - Decoding (the MaxMind DB data format, with libmaxminddb's checks)

    /// One decoded value. For a pointer, `start` is its target; for a map or array, `count` is
    /// the number of entries and `next` the offset of the first; otherwise `count` is the
    /// payload's length in bytes, `start` its offset and `next` the offset after it.
    struct Item {
        var type: Int
        var count: Int
        var start: Int
        var next: Int
    }

    static let pointer = 1, utf8String = 2, double = 3, uint16 = 5, uint32 = 6, map = 7, int32 = 8
    static let uint64 = 9, uint128 = 10, array = 11, boolean = 14, float = 15
    /// libmaxminddb's MAXIMUM_DATA_STRUCTURE_DEPTH.
    static let maximumDepth = 512

    private func invalid(_ detail: @autoclosure () -> String) -> DecodeError {
        DecodeError(reason: "\(String(cString: MMDB_strerror(MMDB_INVALID_DATA_ERROR))) (\(detail()))")
    }

    /// libmaxminddb's `decode_one`: the value at `offset`, pointers not followed.
    private func decodeOne(_ offset: Int) throws(DecodeError) -> Item {
        guard let base, offset >= 0, offset < size else { throw invalid("offset \(offset) past the data section") }
        var position = offset
        let control = Int(base[position])
        position += 1
        var type = control >> 5
        if type == 0 {
            guard position < size else { throw invalid("extended type at \(offset) past the data section") }
            type = 7 + Int(base[position])
            position += 1
        }
        if type == Self.pointer {
            let length = (control >> 3) & 3 + 1
            guard position + length <= size else { throw invalid("pointer at \(offset) past the data section") }
            let bytes = base + position
            let target: Int
            switch length {
            case 1: target = (control & 7) << 8 | Int(bytes[0])
            case 2: target = 2048 + ((control & 7) << 16 | Int(bytes[0]) << 8 | Int(bytes[1]))
            case 3: target = 526_336 + ((control & 7) << 24 | Int(bytes[0]) << 16 | Int(bytes[1]) << 8 | Int(bytes[2]))
            default: target = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
            }
            return Item(type: type, count: length, start: target, next: position + length)
        }
        var count = control & 31
        if count >= 29 {
            let extra = count - 28
            guard position + extra <= size else { throw invalid("size of the value at \(offset) past the data section") }
            switch extra {
            case 1: count = 29 + Int(base[position])
            case 2: count = 285 + (Int(base[position]) << 8 | Int(base[position + 1]))
            default: count = 65_821 + (Int(base[position]) << 16 | Int(base[position + 1]) << 8 | Int(base[position + 2]))
            }
            position += extra
        }
        switch type {
        case Self.map, Self.array:
            return Item(type: type, count: count, start: position, next: position)
        case Self.boolean:
            return Item(type: type, count: count, start: position, next: position)
        default:
            break
        }
        guard position + count <= size else { throw invalid("value at \(offset) ends past the data section") }
        switch type {
        case Self.uint16 where count > 2, Self.uint32 where count > 4, Self.int32 where count > 4,
             Self.uint64 where count > 8, Self.uint128 where count > 16,
             Self.float where count != 4, Self.double where count != 8:
            throw invalid("type \(type) of size \(count) at \(offset)")
        default:
            return Item(type: type, count: count, start: position, next: position + count)
        }
    }

    /// libmaxminddb's `decode_one_follow`: a pointer is replaced by what it points to (never
    /// another pointer); a scalar reached that way ends where the pointer ends.
    private func decodeFollowing(_ offset: Int) throws(DecodeError) -> Item {
        try following(decodeOne(offset))
    }

    private func following(_ item: Item) throws(DecodeError) -> Item {
        guard item.type == Self.pointer else { return item }
        var target = try decodeOne(item.start)
        guard target.type != Self.pointer else { throw invalid("pointer to a pointer at \(item.start)") }
        if target.type != Self.map && target.type != Self.array { target.next = item.next }
        return target
    }

    /// Calls `body` with each key (a string, else the data is invalid) and its value as stored
    /// (a pointer not yet followed) until `body` returns false. Like `MMDB_aget_value`'s map
    /// walk, a value is skipped (and so checked) whenever the walk goes on past it.
    @inline(__always)
    private func forEachEntry(
        of map: Item, _ body: (Item, Item) throws(DecodeError) -> Bool
    ) throws(DecodeError) {
        // No up-front check of the count against the bytes left: libmaxminddb stops at the
        // wanted key, so a map whose count overstates its entries still answers for keys before
        // the damage. The walk stays bounded: every entry takes at least two bytes.
        var remaining = map.count
        var offset = map.next
        while remaining > 0 {
            let key = try decodeFollowing(offset)
            guard key.type == Self.utf8String else { throw invalid("map key of type \(key.type) at \(offset)") }
            let value = try decodeOne(key.next)
            guard try body(key, value) else { return }
            offset = try end(of: value, depth: 0)
            remaining -= 1
        }
    }

    /// libmaxminddb's `skip_map_or_array`: where a value stored at this place ends, with every
    /// nested value decoded (pointers are not followed). Nesting is limited to libmaxminddb's
    /// MAXIMUM_DATA_STRUCTURE_DEPTH, as libmaxminddb itself does after 1.7.1 (1.7.1 recurses
    /// without limit, so on such a record, e.g. bad-data/libmaxminddb-deep-nesting.mmdb, this
    /// reader fails where 1.7.1 answers; no real database nests more than a few levels).
    private func end(of item: Item, depth: Int) throws(DecodeError) -> Int {
        guard item.type == Self.map || item.type == Self.array else { return item.next }
        guard depth < Self.maximumDepth else {
            var error = invalid("nesting deeper than \(Self.maximumDepth) at \(item.start)")
            error.isNestingLimit = true
            throw error
        }
        let values = item.type == Self.map ? 2 * item.count : item.count
        guard values <= size - item.next else { throw invalid("container at \(item.start) has more entries than bytes") }
        var offset = item.next
        for index in 0..<values {
            let value = try decodeOne(offset)
            // A map's keys are decoded but never descended into, exactly as libmaxminddb does.
            offset = item.type == Self.map && index & 1 == 0 ? value.next : try end(of: value, depth: depth + 1)
        }
        return offset
    }

    @inline(__always)
    private func matches(_ key: Item, _ name: StaticString) -> Bool {
        guard let base else { return false }
        return memcmp(base + key.start, name.utf8Start, name.utf8CodeUnitCount) == 0
    }
}
