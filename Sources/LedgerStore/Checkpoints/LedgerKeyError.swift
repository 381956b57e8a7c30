/// Why the ledger's key file could not be created or used.
public enum LedgerKeyError: Error, Hashable, Sendable, CustomStringConvertible {
    case exists(String)
    case missing(String)
    case unreadable(String, String)
    case unwritable(String, String)
    case malformed(String, String)

    public var description: String {
        switch self {
        case .exists(let path): "key file \(path) already exists; refusing to overwrite it"
        case .missing(let path): "no key file at \(path) (pass --key PATH or set $AUDITLEDGER_KEY)"
        case .unreadable(let path, let reason): "cannot read key file \(path): \(reason)"
        case .unwritable(let path, let reason): "cannot write key file \(path): \(reason)"
        case .malformed(let path, let reason): "key file \(path) does not hold a signer key (PRIVATE+KEY+name+hash+base64): \(reason)"
        }
    }
}
