/// Where an event's IP address was, as the configured City database knew it at ingest.
///
/// Stored with the event and covered by its hash: it is never recomputed, so an
/// export years later still says where the action came from at the time.
public struct GeoLocation: Hashable, Sendable, Codable {
    public var countryCode: String?
    public var country: String?
    public var subdivisionCode: String?
    public var subdivision: String?
    public var city: String?
    public var postalCode: String?
    public var latitude: Double?
    public var longitude: Double?
    public var accuracyRadiusKm: UInt32?
    public var timeZone: String?
    public var continentCode: String?
    /// The database's `database_type` metadata, e.g. `GeoLite2-City`.
    public var databaseType: String?
    /// The database's `build_epoch` metadata (seconds since the Unix epoch).
    public var databaseBuildEpoch: UInt64?

    public init(
        countryCode: String? = nil, country: String? = nil,
        subdivisionCode: String? = nil, subdivision: String? = nil,
        city: String? = nil, postalCode: String? = nil,
        latitude: Double? = nil, longitude: Double? = nil,
        accuracyRadiusKm: UInt32? = nil, timeZone: String? = nil,
        continentCode: String? = nil,
        databaseType: String? = nil, databaseBuildEpoch: UInt64? = nil
    ) {
        self.countryCode = countryCode
        self.country = country
        self.subdivisionCode = subdivisionCode
        self.subdivision = subdivision
        self.city = city
        self.postalCode = postalCode
        self.latitude = latitude
        self.longitude = longitude
        self.accuracyRadiusKm = accuracyRadiusKm
        self.timeZone = timeZone
        self.continentCode = continentCode
        self.databaseType = databaseType
        self.databaseBuildEpoch = databaseBuildEpoch
    }

    enum CodingKeys: String, CodingKey {
        case countryCode = "country_code", country
        case subdivisionCode = "subdivision_code", subdivision
        case city, postalCode = "postal_code", latitude, longitude
        case accuracyRadiusKm = "accuracy_radius_km", timeZone = "time_zone"
        case continentCode = "continent_code", databaseType = "database_type"
        case databaseBuildEpoch = "database_build_epoch"
    }
}

/// Why an event has (or has no) location. Its raw value is part of the canonical encoding.
public enum GeoStatus: UInt8, Hashable, Sendable, CaseIterable {
    case ok = 0
    /// Private, loopback, link-local, CGNAT, documentation or other special-purpose range: never looked up.
    case `private` = 1
    /// A public address the database has no record for.
    case notFound = 2
    /// The event carried no IP address.
    case noIP = 3
    /// No City database was configured when the event was stored.
    case noDatabase = 4

    public var name: String {
        switch self {
        case .ok: "ok"
        case .private: "private"
        case .notFound: "not_found"
        case .noIP: "no_ip"
        case .noDatabase: "no_database"
        }
    }

    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}

/// The result of enriching one address: a status, and a location when the status is `ok`.
public struct GeoResult: Hashable, Sendable {
    public var status: GeoStatus
    public var location: GeoLocation?

    public init(status: GeoStatus, location: GeoLocation? = nil) {
        self.status = status
        self.location = location
    }
}

/// Anything that can place a public IP address. The GeoIP module provides the MaxMind one;
/// tests may provide fixed ones.
public protocol GeoLocating: Sendable {
    /// Looks up a public address. Special-purpose ranges are classified by the caller, never passed here.
    func locate(_ address: IPAddress) -> GeoResult
}
