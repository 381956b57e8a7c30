import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search an account's events, newest first.",
        discussion: """
            Filters are AND-ed. They can also be written as one query string, in the style of \
            GitHub's audit log:
              auditledger search --account acme 'name:stack.* actor:u_42 country:GB created:2026-11-01..2026-11-21'
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The account to search (required).") var account: String
    @Argument(help: "A query string: name:, actor:, country:, city:, ip:, target:, outcome:, created:, and free text.")
    var query: String?
    @Option(help: "Activity name, `family.*`, or a comma-separated list.") var name: String?
    @Option(help: "Team member (actor id).") var actor: String?
    @Option(help: "Earliest occurred_at (RFC 3339 or YYYY-MM-DD), inclusive.") var from: String?
    @Option(help: "Latest occurred_at (RFC 3339 or YYYY-MM-DD), exclusive.") var to: String?
    @Option(help: "success or failure.") var outcome: String?
    @Option(help: "Two-letter country code.") var country: String?
    @Option(help: "City name.") var city: String?
    @Option(help: "IP address or CIDR block.") var ip: String?
    @Option(help: "A target, type:id.") var target: String?
    @Option(name: .customLong("text"), help: "Free text; every word must match.") var text: String?
    @Option(help: "Events per page (1–1000).") var limit: Int = SearchQuery.defaultLimit
    @Option(help: "Continue after this cursor (printed after a full page).") var cursor: String?
    @Flag(help: "Follow cursors through every page.") var all = false
    @Option(help: "Output format: table, json, ndjson, csv.") var format: EventFormat = .table

    func run() async throws {
        var search = try buildQuery()
        try await ledger.withLedger { store in
            var printer = EventPrinter(format: format)
            printer.begin()
            var jsonEvents: [JSONValue] = []
            while true {
                let page = try await store.search(search)
                if format == .json {
                    jsonEvents += page.events.map(\.json)
                } else {
                    page.events.forEach { printer.write($0) }
                }
                guard all, let next = page.nextCursor else {
                    if format == .json {
                        var object: JSONObject = ["events": .array(jsonEvents)]
                        object["next_cursor"] = page.nextCursor.map { .string($0.token) } ?? .null
                        printer.appendLine(JSONValue.object(object).canonicalText)
                    }
                    printer.flush()
                    if let next = page.nextCursor, format == .table {
                        StandardError.write("More results: --cursor \(next.token)\n")
                    }
                    return
                }
                search.cursor = next
            }
        }
    }

    /// Flags and the query string together; any bad value is a usage error naming the flag.
    func buildQuery() throws -> SearchQuery {
        guard EventRules.isValidAccount(account) else { throw CLIFailure.usage("--account \(account) is not an account name") }
        var search = SearchQuery(account: account)
        guard (1...SearchQuery.maxLimit).contains(limit) else { throw CLIFailure.usage("--limit must be 1–\(SearchQuery.maxLimit)") }
        search.limit = limit
        if let name {
            for part in name.split(separator: ",") {
                guard let filter = NameFilter(String(part)) else { throw CLIFailure.usage("--name \(part) is not an activity name or family.*") }
                search.names.append(filter)
            }
        }
        search.actor = actor
        if let from { search.from = try Self.time(from, flag: "--from") }
        if let to { search.to = try Self.time(to, flag: "--to") }
        if let outcome {
            guard let value = Outcome(name: outcome) else { throw CLIFailure.usage("--outcome must be success or failure") }
            search.outcome = value
        }
        if let country {
            guard country.count == 2, country.allSatisfy(\.isLetter) else { throw CLIFailure.usage("--country must be a two-letter code") }
            search.country = country.uppercased()
        }
        search.city = city
        if let ip {
            guard let network = IPNetwork(ip) else { throw CLIFailure.usage("--ip \(ip) is not an address or CIDR block") }
            search.ipNetwork = network
        }
        if let target {
            guard let filter = TargetFilter(target) else { throw CLIFailure.usage("--target must be type:id") }
            search.target = filter
        }
        search.text = text
        if let cursor {
            guard let position = SearchCursor(token: cursor) else { throw CLIFailure.usage("--cursor is not a cursor this ledger printed") }
            search.cursor = position
        }
        if let query {
            do {
                try QueryString.parse(query, into: &search)
            } catch {
                throw CLIFailure.usage("query: \(error.message)")
            }
        }
        return search
    }

    static func time(_ text: String, flag: String) throws -> Timestamp {
        do {
            return try Timestamp.parseDateOrTime(text)
        } catch {
            throw CLIFailure.usage("\(flag) \(text): \(error)")
        }
    }
}
