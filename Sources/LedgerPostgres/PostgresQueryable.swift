import Logging
import PostgresNIO

/// Something queries can run on: the pool (any connection, leased with a time bound) or one
/// leased connection (inside a transaction), so that read helpers serve both. Rows are consumed
/// inside `withRows`, while the connection they stream from is still held.
protocol PostgresQueryable: Sendable {
    func withRows<T>(_ query: PostgresQuery, logger: Logger, isolation: isolated (any Actor)?,
                     _ consume: (PostgresRowSequence) async throws -> T) async throws -> T
}

extension PostgresConnection: PostgresQueryable {
    func withRows<T>(_ query: PostgresQuery, logger: Logger, isolation: isolated (any Actor)? = #isolation,
                     _ consume: (PostgresRowSequence) async throws -> T) async throws -> T {
        try await consume(try await self.query(query, logger: logger))
    }
}

extension PostgresQueryable {
    /// Every row, decoded as `Row` (a tuple of decodable types).
    func rows<each Column: PostgresDecodable>(_ query: PostgresQuery, as type: (repeat each Column).Type,
                                              logger: Logger) async throws -> [(repeat each Column)] {
        try await withRows(query, logger: logger, isolation: nil) { rows in
            var result: [(repeat each Column)] = []
            for try await row in rows {
                result.append(try row.decode(type))
            }
            return result
        }
    }

    /// The first column of every row.
    func column<Value: PostgresDecodable>(_ query: PostgresQuery, as type: Value.Type, logger: Logger) async throws -> [Value] {
        try await withRows(query, logger: logger, isolation: nil) { rows in
            var result: [Value] = []
            for try await row in rows {
                result.append(try row.decode(Value.self))
            }
            return result
        }
    }

    /// The first column of the first row, or nil when there is no row.
    func scalar<Value: PostgresDecodable>(_ query: PostgresQuery, as type: Value.Type, logger: Logger) async throws -> Value? {
        try await withRows(query, logger: logger, isolation: nil) { rows in
            for try await row in rows {
                return try row.decode(Value.self)
            }
            return nil
        }
    }

    /// Runs a statement and drains its result.
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        try await withRows(query, logger: logger, isolation: nil) { rows in
            for try await _ in rows {}
        }
    }
}
