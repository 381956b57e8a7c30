import Crypto
import Foundation

/// Encodings shared by note keys and signature lines (C2SP signed-note, Go's sumdb/note).
enum NoteEncoding {
    /// Signature type byte for Ed25519 in key IDs and key strings.
    static let ed25519: UInt8 = 0x01

    /// Signed-note key ID: the first four bytes, big-endian, of
    /// `SHA-256(name || 0x0A || type || public key)`.
    static func keyHash(name: String, typedPublicKey: [UInt8]) -> UInt32 {
        var hasher = SHA256()
        hasher.update(data: Array(name.utf8) + [0x0A] + typedPublicKey)
        return hasher.finalize().prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Key names are non-empty with no Unicode spaces and no `+` (which separates the fields
    /// of key strings); control characters are excluded too because notes may not contain them.
    static func isValidKeyName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains {
            $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F
        }
    }

    static func base64(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Standard base64 with padding, accepted only in its canonical form, so that one value
    /// has one text and a note cannot be altered without changing its bytes' meaning.
    static func bytes(base64 text: some StringProtocol) -> [UInt8]? {
        guard !text.isEmpty, let data = Data(base64Encoded: String(text)),
              data.base64EncodedString() == text else { return nil }
        return Array(data)
    }

    static func hex8(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Exactly eight hexadecimal digits.
    static func parseHex8(_ text: some StringProtocol) -> UInt32? {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ $0 < 0x80 && Character(Unicode.Scalar($0)).isHexDigit }) else {
            return nil
        }
        return UInt32(text, radix: 16)
    }

    static func bigEndianBytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }
}
