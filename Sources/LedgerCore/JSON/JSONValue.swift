/// A JSON document as parsed by `JSONParser`, or built in code.
///
/// Numbers are kept as their validated lexeme (`"1.50"`, `"1E400"`), never converted to a
/// binary type: the ledger hashes what the client sent, and a round trip through `Double`
/// would silently change large integers and exponents.
///
/// Equality follows the canonical text (`canonicalText`): two values are equal exactly when
/// their canonical texts are byte for byte equal. So object member order does not matter,
/// numbers compare by lexeme (`1` ≠ `1.0`), and strings compare by their UTF-8 bytes, not by
/// Swift's Unicode canonical equivalence (an NFC and an NFD "é" are different values, as they
/// hash differently in the ledger).
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// The number's lexeme exactly as written, validated against RFC 8259's grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue: Hashable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(left), .bool(right)): left == right
        case let (.number(left), .number(right)): utf8Equal(left, right)
        case let (.string(left), .string(right)): utf8Equal(left, right)
        case let (.array(left), .array(right)): left == right
        case let (.object(left), .object(right)): left == right
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null:
            hasher.combine(0 as UInt8)
        case .bool(let value):
            hasher.combine(1 as UInt8)
            hasher.combine(value)
        case .number(let lexeme):
            hasher.combine(2 as UInt8)
            hashUTF8(lexeme, into: &hasher)
        case .string(let text):
            hasher.combine(3 as UInt8)
            hashUTF8(text, into: &hasher)
        case .array(let elements):
            hasher.combine(4 as UInt8)
            hasher.combine(elements)
        case .object(let object):
            hasher.combine(5 as UInt8)
            hasher.combine(object)
        }
    }
}

extension JSONValue {
    /// An integer as a number lexeme (`JSONValue(integer: -3)` is `.number("-3")`).
    public init(integer: some BinaryInteger) {
        self = .number(String(integer))
    }

    /// Whether this is `null` (a present-but-null field, unlike a missing one).
    public var isNull: Bool {
        if case .null = self { true } else { false }
    }

    /// The boolean, if this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The number's lexeme as written in the input.
    public var numberLexeme: String? {
        if case .number(let lexeme) = self { lexeme } else { nil }
    }

    /// The number as an `Int64` when its lexeme is a plain integer (no fraction, no exponent)
    /// that fits; `nil` otherwise, so `1.0` and `1e2` are not silently accepted as integers.
    public var int64Value: Int64? {
        guard case .number(let lexeme) = self else { return nil }
        return Int64(lexeme)
    }

    /// The number converted to the nearest `Double` (may lose precision or be infinite for
    /// huge exponents); for display and range checks, never for hashing.
    public var doubleValue: Double? {
        guard case .number(let lexeme) = self else { return nil }
        return Double(lexeme)
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    /// The members, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { object } else { nil }
    }

    /// The member named `key` when this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index` when this is an array and the index is in range.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// A short name of the value's kind for error messages ("expected a string, got an array").
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// Traps on a repeated key: a literal with one is a programming error.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(uniqueKeysWithValues: elements))
    }
}

/// Byte-wise equality of two strings' UTF-8, which is what JSON and the ledger's hashes see.
func utf8Equal(_ left: String, _ right: String) -> Bool {
    let leftBytes = left.utf8
    let rightBytes = right.utf8
    guard leftBytes.count == rightBytes.count else { return false }
    let contiguous = leftBytes.withContiguousStorageIfAvailable { leftBuffer in
        rightBytes.withContiguousStorageIfAvailable { rightBuffer in
            leftBuffer.elementsEqual(rightBuffer)
        }
    }
    return (contiguous ?? nil) ?? leftBytes.elementsEqual(rightBytes)
}

func hashUTF8(_ text: String, into hasher: inout Hasher) {
    let bytes = text.utf8
    hasher.combine(bytes.count)
    let hashed: Void? = bytes.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    if hashed == nil {
        for byte in bytes { hasher.combine(byte) }
    }
}
