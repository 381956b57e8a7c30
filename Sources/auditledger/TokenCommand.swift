import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

/// `auditledger token create|list|revoke`: manage the API's bearer tokens in the ledger file.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print its secret (shown this once; only its hash is stored).")

        @OptionGroup var ledger: LedgerOptions

        @Option(help: "The account the token is bound to, or '*' for a trusted service that names the account per event.")
        var account: String

        @Option(help: "ingest, read or admin.")
        var scope: String

        @Option(help: "A name to recognise the token by.")
        var name: String?

        func run() async throws {
            guard let scope = TokenScope(rawValue: scope) else { throw CLIFailure.usage("--scope must be ingest, read or admin") }
            let issued = try await ledger.withLedger { store in
                do {
                    return try await store.createToken(account: account, scope: scope, name: name)
                } catch let error as TokenError {
                    throw CLIFailure.usage(error.description)
                }
            }
            StandardError.write("created token \(issued.token.id) (\(scope) for \(issued.token.account)); its secret, shown only now:\n")
            print(issued.secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")

        @OptionGroup var ledger: LedgerOptions

        func run() async throws {
            let tokens = try await ledger.withLedger { try await $0.tokens() }
            let rows = [["ID", "ACCOUNT", "SCOPE", "NAME", "CREATED", "REVOKED"]] + tokens.map { token in
                [token.id, token.account, token.scope.rawValue, token.name ?? "", token.createdAt.rfc3339,
                 token.revokedAt?.rfc3339 ?? ""]
            }
            let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingTrailingSpaces)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it stops working at once.")

        @OptionGroup var ledger: LedgerOptions

        @Argument(help: "The token's id (from `token list`).")
        var id: String

        func run() async throws {
            let token = try await ledger.withLedger { store in
                do {
                    return try await store.revokeToken(id: id)
                } catch TokenError.unknown {
                    throw CLIFailure.notFound("no token with id \(id)")
                }
            }
            print("revoked \(token.id) at \(token.revokedAt?.rfc3339 ?? "?")")
        }
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
