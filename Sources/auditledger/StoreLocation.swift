import Foundation

/// Where a ledger lives: a SQLite file (the default) or a PostgreSQL database.
///
/// Written as `sqlite:PATH`, a plain path, or a `postgres://` / `postgresql://` URL.
enum StoreLocation: Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    init(_ text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw CLIFailure.usage("\(text) names no file (sqlite:PATH)") }
            self = .sqlite(path: path)
        } else if let scheme = text.firstRange(of: "://") {
            throw CLIFailure.usage("unknown store \(text[..<scheme.lowerBound])://: use sqlite:PATH, a path, or postgres://…")
        } else {
            guard !text.isEmpty else { throw CLIFailure.usage("the store is empty: use sqlite:PATH, a path, or postgres://…") }
            self = .sqlite(path: text)
        }
    }

    var sqlitePath: String? {
        if case .sqlite(let path) = self { return path }
        return nil
    }

    /// For messages: the path, or the URL without its password.
    var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): Self.redactingPassword(url)
        }
    }

    static func redactingPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
