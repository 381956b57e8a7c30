import CMaxMindDB
import LedgerCore

/// Reads the fields the ledger stores from one City record with libmaxminddb's `MMDB_aget_value`,
/// one path walk per field. Kept as the reference the single-pass `CityRecordReader` is tested
/// against (results and errors must agree); lookups use `CityRecordReader`.
///
/// Each top-level map (`country`, `location`, …) is found once from the record's root and its
/// fields are read from that map, so the record is not re-scanned from the top for every field.
/// A field of an unexpected type is treated as absent: a database built by someone else may
/// carry extra or differently typed data, and that must not fail ingest.
struct PathCityRecordReader {
    typealias DecodeError = CityRecordReader.DecodeError

    static func read(_ record: MMDB_entry_s) throws(DecodeError) -> GeoLocation {
        var location = GeoLocation()
        if let continent = try map(record, .continent) {
            location.continentCode = try string(continent, .code)
        }
        if let country = try map(record, .country) {
            location.countryCode = try string(country, .isoCode)
            location.country = try string(country, .englishName)
        }
        if let subdivision = try map(record, .firstSubdivision) {
            location.subdivisionCode = try string(subdivision, .isoCode)
            location.subdivision = try string(subdivision, .englishName)
        }
        if let city = try map(record, .city) {
            location.city = try string(city, .englishName)
        }
        if let postal = try map(record, .postal) {
            location.postalCode = try string(postal, .code)
        }
        if let place = try map(record, .location) {
            location.latitude = try double(place, .latitude)
            location.longitude = try double(place, .longitude)
            location.accuracyRadiusKm = try unsigned(place, .accuracyRadius)
            location.timeZone = try string(place, .timeZone)
        }
        return location
    }

    private static func value(_ start: MMDB_entry_s, _ path: MaxMindPath) throws(DecodeError) -> MMDB_entry_data_s? {
        var entry = start
        var data = MMDB_entry_data_s()
        let status = MMDB_aget_value(&entry, &data, path.elements)
        switch status {
        case MMDB_SUCCESS: return data.has_data ? data : nil
        case MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR: return nil
        default: throw DecodeError(reason: String(cString: MMDB_strerror(status)))
        }
    }

    private static func map(_ start: MMDB_entry_s, _ path: MaxMindPath) throws(DecodeError) -> MMDB_entry_s? {
        guard let data = try value(start, path), data.type == UInt32(MMDB_DATA_TYPE_MAP) else { return nil }
        return MMDB_entry_s(mmdb: start.mmdb, offset: data.offset)
    }

    private static func string(_ start: MMDB_entry_s, _ path: MaxMindPath) throws(DecodeError) -> String? {
        guard let data = try value(start, path), data.type == UInt32(MMDB_DATA_TYPE_UTF8_STRING) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: data.utf8_string, count: Int(data.data_size)), as: UTF8.self)
    }

    private static func double(_ start: MMDB_entry_s, _ path: MaxMindPath) throws(DecodeError) -> Double? {
        guard let data = try value(start, path) else { return nil }
        switch Int32(data.type) {
        case MMDB_DATA_TYPE_DOUBLE: return data.double_value.isFinite ? data.double_value : nil
        case MMDB_DATA_TYPE_FLOAT: return data.float_value.isFinite ? Double(data.float_value) : nil
        default: return nil
        }
    }

    private static func unsigned(_ start: MMDB_entry_s, _ path: MaxMindPath) throws(DecodeError) -> UInt32? {
        guard let data = try value(start, path) else { return nil }
        switch Int32(data.type) {
        case MMDB_DATA_TYPE_UINT16: return UInt32(data.uint16)
        case MMDB_DATA_TYPE_UINT32: return data.uint32
        default: return nil
        }
    }
}
