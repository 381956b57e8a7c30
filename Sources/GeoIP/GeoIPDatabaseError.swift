/// Why a City database could not be used. Every corrupt or hostile file ends here, as a value
/// with the file's path and a reason an operator can act on, instead of a crash at lookup time.
public enum GeoIPDatabaseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read or libmaxminddb refused it outright.
    case cannotOpen(path: String, reason: String)
    /// The metadata section decodes but describes something that is not a usable database.
    case invalidMetadata(path: String, reason: String)
    /// A valid MaxMind DB, but not one with the City record layout this service reads.
    case notACityDatabase(path: String, databaseType: String)
    /// A search-tree record points outside the tree and the data section.
    case corruptSearchTree(path: String, reason: String)
    /// A data record does not decode.
    case corruptData(path: String, reason: String)

    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .invalidMetadata(let path, _), .notACityDatabase(let path, _),
             .corruptSearchTree(let path, _), .corruptData(let path, _):
            path
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open GeoIP database \(path): \(reason)"
        case .invalidMetadata(let path, let reason):
            "GeoIP database \(path) has invalid metadata: \(reason)"
        case .notACityDatabase(let path, let databaseType):
            "GeoIP database \(path) is of type \"\(databaseType)\"; a City database (GeoIP2-City, GeoLite2-City) is required"
        case .corruptSearchTree(let path, let reason):
            "GeoIP database \(path) has a corrupt search tree: \(reason)"
        case .corruptData(let path, let reason):
            "GeoIP database \(path) has a corrupt data section: \(reason)"
        }
    }
}
