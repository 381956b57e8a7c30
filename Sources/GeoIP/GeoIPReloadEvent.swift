/// What a `ReloadingGeoLocator` did or refused to do, for the embedding application to log.
/// A callback rather than a logger so that this module needs no logging dependency.
public enum GeoIPReloadEvent: Sendable, Equatable {
    /// A replaced file was validated and is now serving lookups.
    case reloaded(path: String, metadata: GeoIPMetadata)
    /// A replaced file failed validation; the previous database keeps serving.
    case rejected(GeoIPDatabaseError)
    /// The configured path could not be examined (for instance deleted); the previous
    /// database keeps serving.
    case fileUnavailable(path: String, reason: String)
    /// A lookup hit a record that does not decode; it was answered as not found.
    case lookupFailed(GeoIPDatabaseError)
}
