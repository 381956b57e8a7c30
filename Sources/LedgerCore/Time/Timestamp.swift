// TEMPORARY until branch `json` lands with the real Timestamp.
public struct Timestamp: Hashable, Comparable, Sendable {
    public var microseconds: Int64
    public init(microseconds: Int64) { self.microseconds = microseconds }
    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.microseconds < b.microseconds }
    public var rfc3339: String { "\(microseconds)" }
    public static func parse(_ text: some StringProtocol) -> Timestamp? { Int64(text).map(Timestamp.init) }
}
// TEMPORARY until branch `json` lands.
import Foundation
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "") }
    public static func decode(_ text: String) -> [UInt8]? { var t = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/"); while t.count % 4 != 0 { t += "=" }; return Data(base64Encoded: t).map { Array($0) } }
}
extension Timestamp { public static func systemNow() -> Timestamp { Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)) } }
extension Timestamp { public static func parseDateOrTime(_ t: String) -> Timestamp? { parse(t) } }
