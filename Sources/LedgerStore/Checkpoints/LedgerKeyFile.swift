import Foundation
import LedgerCore

/// The ledger's private signing key on disk: one line, the signed-note signer key string
/// `PRIVATE+KEY+<name>+<hex8>+<base64>`, in a file only its owner can read (0600).
///
/// `init` creates it; `serve`, `checkpoint` and `export` load it. It is a secret: it is not in
/// the database and not in backups, so store a copy of it somewhere safe.
public enum LedgerKeyFile {
    public static let environmentVariable = "AUDITLEDGER_KEY"

    /// `--key`, else `$AUDITLEDGER_KEY`, else the database path with `.key` appended.
    public static func path(explicit: String?, databasePath: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit { return explicit }
        if let configured = environment[environmentVariable], !configured.isEmpty { return configured }
        return databasePath + ".key"
    }

    /// Writes a new key file with mode 0600, refusing to replace an existing file: losing a
    /// ledger's key would make every later checkpoint unverifiable with the published key.
    public static func create(at path: String, signer: NoteSigner) throws(LedgerKeyError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw errno == EEXIST ? .exists(path) : .unwritable(path, String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let bytes = Array((signer.signerKey + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        // The key must be on disk before the ledger records its identity.
        guard written == bytes.count, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw .unwritable(path, reason)
        }
    }

    /// A loaded key and what looked wrong without stopping it from being used.
    public struct Loaded: Sendable {
        public var signer: NoteSigner
        public var warnings: [String]
    }

    /// Reads and parses the key. Group- or world-accessible permissions are a warning (the key
    /// still works, and refusing would stop a running service); anything unreadable or
    /// malformed is an error.
    public static func load(from path: String) throws(LedgerKeyError) -> Loaded {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw errno == ENOENT ? .missing(path) : .unreadable(path, String(cString: strerror(errno)))
        }
        var warnings: [String] = []
        let mode = info.st_mode & 0o777
        if mode & 0o077 != 0 {
            warnings.append("key file \(path) is accessible by other users (mode \(String(mode, radix: 8))); run: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path, "cannot read") }
        guard let text = String(data: data, encoding: .utf8) else { throw .malformed(path, "not UTF-8 text") }
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            return Loaded(signer: try NoteSigner(signerKey: line), warnings: warnings)
        } catch {
            throw .malformed(path, "\(error)")
        }
    }
}
