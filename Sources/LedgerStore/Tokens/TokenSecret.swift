import Crypto
import LedgerCore

/// The text of a bearer token: `alt_<id>_<43 base64url characters of 32 random bytes>`.
///
/// The prefix makes leaked tokens recognisable to secret scanners; the id lets a server log or
/// refuse a token by name without storing anything secret. Only `SHA-256(secret text)` is
/// stored, and a token is found by that hash, so no comparison ever runs over the secret
/// itself: lookups cannot leak it through timing.
public enum TokenSecret {
    static let prefix = "alt_"
    static let randomByteCount = 32
    static let idHexDigits = 16

    /// A fresh id and secret from the system's cryptographic random source.
    package static func generate() -> (id: String, secret: String) {
        var generator = SystemRandomNumberGenerator()
        let idBytes = (0..<idHexDigits / 2).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let id = idBytes.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
        let secretBytes = (0..<randomByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return (id, prefix + id + "_" + Base64URL.encode(secretBytes))
    }

    /// The id embedded in a well-formed secret, or nil when the text cannot be one of ours.
    public static func id(in secret: String) -> String? {
        let utf8 = Array(secret.utf8)
        let expectedLength = prefix.utf8.count + idHexDigits + 1 + 43
        guard utf8.count == expectedLength, secret.hasPrefix(prefix) else { return nil }
        let idStart = prefix.utf8.count
        let id = utf8[idStart..<idStart + idHexDigits]
        guard id.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }),
              utf8[idStart + idHexDigits] == UInt8(ascii: "_"),
              Base64URL.decode(String(decoding: utf8[(idStart + idHexDigits + 1)...], as: UTF8.self))?.count == randomByteCount
        else { return nil }
        return String(decoding: id, as: UTF8.self)
    }

    /// What the ledger stores and looks tokens up by.
    package static func hash(_ secret: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(secret.utf8)))
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
