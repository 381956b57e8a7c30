/// Why a manifest could not be read: a usage problem (wrong file), unlike a failed check.
public enum ExportManifestError: Error, Hashable, Sendable, CustomStringConvertible {
    case notJSON(String)
    case invalidField(String)

    public var description: String {
        switch self {
        case .notJSON(let reason): "the manifest is not JSON: \(reason)"
        case .invalidField(let field): "the manifest's field \(field) is missing or invalid"
        }
    }
}
