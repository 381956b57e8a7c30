import Foundation
import PostgresNIO

/// Where a PostgreSQL ledger lives, parsed from a libpq-style URL:
///
/// - `postgres://user:password@host:port/database` (or `postgresql://`), TCP; `sslmode=disable`
///   or `require` in the query, TLS preferred otherwise;
/// - `postgres:///database?host=/socket/dir&user=name[&port=5432]`, a Unix socket
///   (`/socket/dir/.s.PGSQL.<port>`), as libpq reads a `host` that starts with `/`.
struct PostgresURL: Sendable {
    var configuration: PostgresClient.Configuration
    /// The same target for a single connection (opening checks and migrations).
    var connectionConfiguration: PostgresConnection.Configuration
    /// The target without its password, for messages.
    var displayName: String

    init(_ text: String) throws {
        func invalid(_ reason: String) -> PostgresLedgerError { .invalidURL(Self.redacted(text), reason: reason) }
        guard let components = URLComponents(string: text) else { throw invalid("not a URL") }
        guard let scheme = components.scheme?.lowercased(), ["postgres", "postgresql"].contains(scheme) else {
            throw invalid("the scheme must be postgres:// or postgresql://")
        }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard let value = item.value else { throw invalid("parameter \(item.name) has no value") }
            parameters[item.name] = value
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw invalid("no database name in the path") }
        let user = parameters["user"] ?? components.user.flatMap { $0.removingPercentEncoding }
            ?? ProcessInfo.processInfo.environment["PGUSER"] ?? "postgres"
        let password = parameters["password"] ?? components.password.flatMap { $0.removingPercentEncoding }
        var port = 5432
        if let given = parameters["port"] ?? components.port.map(String.init) {
            guard let number = Int(given), (1...65_535).contains(number) else { throw invalid("port \(given) is not a port number") }
            port = number
        }
        let host = parameters["host"] ?? components.percentEncodedHost?.removingPercentEncoding ?? ""
        if host.hasPrefix("/") {
            let socket = (host.hasSuffix("/") ? host : host + "/") + ".s.PGSQL.\(port)"
            configuration = PostgresClient.Configuration(unixSocketPath: socket, username: user, password: password, database: database)
            connectionConfiguration = PostgresConnection.Configuration(unixSocketPath: socket, username: user, password: password,
                                                                       database: database)
            displayName = "\(socket) database \(database)"
        } else {
            guard !host.isEmpty else { throw invalid("no host (give host:port, or ?host=/socket/dir for a Unix socket)") }
            let mode = parameters["sslmode"] ?? "prefer"
            guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(mode) else {
                throw invalid("unknown sslmode \(mode)")
            }
            let tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            let clientTLS: PostgresClient.Configuration.TLS, connectionTLS: PostgresConnection.Configuration.TLS
            switch mode {
            case "disable": (clientTLS, connectionTLS) = (.disable, .disable)
            case "require", "verify-ca", "verify-full": (clientTLS, connectionTLS) = (.require(tlsConfiguration), .require(try .init(configuration: tlsConfiguration)))
            default: (clientTLS, connectionTLS) = (.prefer(tlsConfiguration), .prefer(try .init(configuration: tlsConfiguration)))
            }
            configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: clientTLS)
            connectionConfiguration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                                       database: database, tls: connectionTLS)
            displayName = "\(host):\(port) database \(database)"
        }
    }

    /// The URL with any password replaced, so it can be shown.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return text }
        if components.password != nil { components.password = "***" }
        if let items = components.queryItems, items.contains(where: { $0.name == "password" }) {
            components.queryItems = items.map { $0.name == "password" ? URLQueryItem(name: "password", value: "***") : $0 }
        }
        return components.string ?? text
    }
}
