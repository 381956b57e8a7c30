import PostgresNIO

/// Builds a query whose SQL is assembled from parts, binding each value to the next `$n`.
struct SQLBuilder {
    private(set) var sql = ""
    private(set) var binds = PostgresBindings()

    /// Binds `value` and returns its placeholder, which may be used more than once.
    mutating func bind<Value: PostgresNonThrowingEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func append(_ text: String) { sql += text }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}

extension ByteBuffer {
    init(_ bytes: [UInt8]) { self.init(bytes: bytes) }
    var byteArray: [UInt8] { Array(readableBytesView) }
}
