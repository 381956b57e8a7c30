/// Why a backup or restore was refused or its copy did not verify.
public enum BackupError: Error, Hashable, Sendable, CustomStringConvertible {
    case destinationExists(String)
    case destinationNotEmpty(String, events: UInt64)
    case integrityCheckFailed(String, String)
    case verificationFailed(String, VerificationFailure)
    case inconsistentWithLive(copySize: UInt64, liveSize: UInt64)

    public var description: String {
        switch self {
        case .destinationExists(let path): "\(path) already exists; refusing to overwrite it"
        case .destinationNotEmpty(let path, let events):
            "\(path) is a ledger with \(events) events; refusing to overwrite it without --force"
        case .integrityCheckFailed(let path, let result): "\(path): SQLite integrity check failed: \(result)"
        case .verificationFailed(let path, let failure): "\(path) does not verify: \(failure)"
        case .inconsistentWithLive(let copySize, let liveSize):
            "the copy's tree (\(copySize) events) is not a prefix of the live ledger's tree (\(liveSize) events)"
        }
    }
}
