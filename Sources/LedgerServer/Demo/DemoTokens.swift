import Foundation
import LedgerStore

/// The demo's ingest and read tokens for account `demo`, kept beside the ledger in a file of
/// their own (`NAME.demo-tokens`, git-ignored, mode 0600) because a secret cannot be shown
/// again once created: a restarted demo prints the same working tokens. Used by `serve --demo`.
public struct DemoTokens: Sendable {
    public static let account = "demo"

    public var ingest: String
    public var read: String

    public static func path(beside ledgerPath: String) -> String {
        let url = URL(fileURLWithPath: ledgerPath)
        return url.deletingPathExtension().appendingPathExtension("demo-tokens").path
    }

    /// The saved tokens if they still authenticate, else new ones (saved).
    public static func load(beside ledgerPath: String, tokens: any TokenRepository) async throws -> DemoTokens {
        let file = path(beside: ledgerPath)
        if let text = try? String(contentsOfFile: file, encoding: .utf8) {
            let values = Dictionary(text.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: " ", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
            if let ingest = values["ingest"], let read = values["read"],
               try await tokens.authenticate(secret: ingest)?.scope == .ingest,
               try await tokens.authenticate(secret: read)?.scope == .read {
                return DemoTokens(ingest: ingest, read: read)
            }
        }
        let ingest = try await tokens.createToken(account: account, scope: .ingest, name: "demo ingest")
        let read = try await tokens.createToken(account: account, scope: .read, name: "demo read")
        let demo = DemoTokens(ingest: ingest.secret, read: read.secret)
        FileManager.default.createFile(atPath: file, contents: Data("ingest \(demo.ingest)\nread \(demo.read)\n".utf8),
                                       attributes: [.posixPermissions: 0o600])
        return demo
    }

    public func instructions(baseURL: String) -> String {
        """

        AuditLedger demo: account "\(Self.account)"
          ingest token: \(ingest)
          read token:   \(read)

        Post an event:
          curl -s -X POST \(baseURL)/v1/events -H 'Authorization: Bearer \(ingest)' -H 'Content-Type: application/json' -d '{"name":"stack.deploy","actor":{"id":"u_42","name":"Jane"},"ip":"81.2.69.160","targets":[{"type":"stack","id":"production"}]}'
        Search it:
          curl -s '\(baseURL)/v1/events?query=name:stack.*' -H 'Authorization: Bearer \(read)'
        Export the account as CSV:
          curl -s '\(baseURL)/v1/export?format=csv' -H 'Authorization: Bearer \(read)'

        """
    }
}
