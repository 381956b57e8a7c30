/// The members of a JSON object, in input order, with unique keys.
///
/// Keys are compared by their UTF-8 bytes (see `JSONValue`'s equality). Lookup is a linear
/// scan while the object is small (events have ≤ 12 keys, where a scan beats hashing) and
/// switches to a hash index past `linearLookupLimit` members, so a large metadata object
/// cannot make parsing quadratic.
///
/// Equality ignores member order, like the canonical text.
public struct JSONObject: Sendable {
    /// One `"key": value` pair.
    public struct Member: Sendable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The number of members above which lookups go through a hash index.
    public static let linearLookupLimit = 16

    /// The members in the order they were parsed or added.
    public private(set) var members: [Member]
    /// Key → position in `members`; empty until the object outgrows `linearLookupLimit`.
    private var keyIndex: [UTF8Key: Int]

    /// An object with no members.
    public init() {
        members = []
        keyIndex = [:]
    }

    /// Builds an object from pairs in order. Traps on a repeated key, which is a programming
    /// error here (parsed input reports duplicates as a `JSONParseError` instead).
    public init(uniqueKeysWithValues pairs: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in pairs {
            precondition(index(forKey: key) == nil, "duplicate key \"\(key)\" in JSONObject")
            appendNewMember(key: key, value: value)
        }
    }

    /// The keys in member order.
    public var keys: [String] { members.map(\.key) }

    /// The position of `key` in `members`, if present.
    public func index(forKey key: String) -> Int? {
        if keyIndex.isEmpty {
            return members.firstIndex { utf8Equal($0.key, key) }
        }
        return keyIndex[UTF8Key(key)]
    }

    /// Whether a member is named `key` (compared by UTF-8 bytes).
    public func containsKey(_ key: String) -> Bool {
        index(forKey: key) != nil
    }

    /// The value of `key`; setting replaces it in place, appends a new key at the end, or
    /// removes the member when set to `nil`.
    public subscript(key: String) -> JSONValue? {
        get { index(forKey: key).map { members[$0].value } }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Replaces the value of an existing key in place or appends a new member; returns the old value.
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        if let position = index(forKey: key) {
            let old = members[position].value
            members[position].value = value
            return old
        }
        appendNewMember(key: key, value: value)
        return nil
    }

    /// Removes the member named `key`, keeping the others in order; returns its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = index(forKey: key) else { return nil }
        let removed = members.remove(at: position)
        rebuildIndex()
        return removed.value
    }

    /// The members sorted by key, comparing UTF-8 bytes: the order of the canonical text.
    public var membersSortedByKey: [Member] {
        members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// Appends a member whose key the caller has checked is new (the parser checks before
    /// parsing the value, so that it can report the duplicate at the key's offset).
    mutating func appendNewMember(key: String, value: JSONValue) {
        members.append(Member(key: key, value: value))
        if !keyIndex.isEmpty {
            keyIndex[UTF8Key(key)] = members.count - 1
        } else if members.count > Self.linearLookupLimit {
            rebuildIndex()
        }
    }

    private mutating func rebuildIndex() {
        keyIndex.removeAll(keepingCapacity: true)
        guard members.count > Self.linearLookupLimit else { return }
        for (position, member) in members.enumerated() {
            keyIndex[UTF8Key(member.key)] = position
        }
    }
}

extension JSONObject: RandomAccessCollection {
    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Member { members[position] }
}

extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return lhs.members.allSatisfy { member in rhs[member.key] == member.value }
    }

    /// Order-independent: the members' hashes are summed.
    public func hash(into hasher: inout Hasher) {
        var sum = 0
        for member in members {
            var memberHasher = Hasher()
            hashUTF8(member.key, into: &memberHasher)
            memberHasher.combine(member.value)
            sum &+= memberHasher.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(sum)
    }
}

extension JSONObject.Member: Hashable {
    public static func == (lhs: JSONObject.Member, rhs: JSONObject.Member) -> Bool {
        utf8Equal(lhs.key, rhs.key) && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hashUTF8(key, into: &hasher)
        hasher.combine(value)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Traps on a repeated key, like `init(uniqueKeysWithValues:)`.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(uniqueKeysWithValues: elements)
    }
}

/// A string hashed and compared by its UTF-8 bytes, for the key index.
private struct UTF8Key: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool { utf8Equal(lhs.text, rhs.text) }

    func hash(into hasher: inout Hasher) { hashUTF8(text, into: &hasher) }
}
