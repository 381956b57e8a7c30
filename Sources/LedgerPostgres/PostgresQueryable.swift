import Logging
import PostgresNIO

/// Something queries can run on: the pooled client (any connection) or one leased connection
/// (inside a transaction), so that read helpers serve both.
protocol PostgresQueryable: Sendable {
    func run(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence
}

extension PostgresClient: PostgresQueryable {
    func run(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try await self.query(query, logger: logger)
    }
}

extension PostgresConnection: PostgresQueryable {
    func run(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try await self.query(query, logger: logger)
    }
}

extension PostgresQueryable {
    /// Every row, decoded as `Row` (a tuple of decodable types).
    func rows<each Column: PostgresDecodable>(_ query: PostgresQuery, as type: (repeat each Column).Type,
                                              logger: Logger) async throws -> [(repeat each Column)] {
        var result: [(repeat each Column)] = []
        for try await row in try await run(query, logger: logger) {
            result.append(try row.decode(type))
        }
        return result
    }

    /// The first column of every row.
    func column<Value: PostgresDecodable>(_ query: PostgresQuery, as type: Value.Type, logger: Logger) async throws -> [Value] {
        var result: [Value] = []
        for try await row in try await run(query, logger: logger) {
            result.append(try row.decode(Value.self))
        }
        return result
    }

    /// The first column of the first row, or nil when there is no row.
    func scalar<Value: PostgresDecodable>(_ query: PostgresQuery, as type: Value.Type, logger: Logger) async throws -> Value? {
        for try await row in try await run(query, logger: logger) {
            return try row.decode(Value.self)
        }
        return nil
    }

    /// Runs a statement and drains its result.
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await run(query, logger: logger) {}
    }
}
