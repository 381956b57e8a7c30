import ArgumentParser
import Foundation
import LedgerCore
import LedgerServer

/// `auditledger tail`: follows an account's new events through a server's `/v1/stream` long
/// poll and prints each as one NDJSON line, resuming from the cursor after every page.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow an account's events from a running server, as NDJSON lines.",
        discussion: "Prints the cursor to resume from on standard error when stopped after --count events.")

    @Option(help: "The server's base URL.")
    var url = "http://127.0.0.1:8080"

    @Option(help: "A read token (default: $AUDITLEDGER_TOKEN).")
    var token: String?

    @Option(help: "The account (required for tokens not bound to one account).")
    var account: String?

    @Option(help: "Resume after this cursor (from a previous run); default: the account's first event.")
    var cursor: String?

    @Option(help: "Stop after this many events.")
    var count: Int?

    @Option(help: "Seconds each long poll waits for new events.")
    var wait = 25

    func run() async throws {
        guard let token = token ?? ProcessInfo.processInfo.environment["AUDITLEDGER_TOKEN"] else {
            throw CLIFailure.usage("a read token is required: --token or $AUDITLEDGER_TOKEN")
        }
        // The server refuses a longer wait; checked here so that no value reaches the timeout's arithmetic.
        guard (0...StreamController.maxWaitSeconds).contains(wait) else {
            throw CLIFailure.usage("--wait must be 0–\(StreamController.maxWaitSeconds) seconds")
        }
        if let count, count < 1 { throw CLIFailure.usage("--count must be at least 1") }
        guard var components = URLComponents(string: url + "/v1/stream"), let base = components.url else {
            throw CLIFailure.usage("bad --url \(url)")
        }
        let client: HTTPGetClient
        do { client = try HTTPGetClient(baseURL: base) } catch { throw CLIFailure.usage("bad --url \(url): \(error)") }
        var position = cursor
        var printed = 0
        while count.map({ printed < $0 }) ?? true {
            var items = [URLQueryItem(name: "wait", value: String(wait))]
            if let account { items.append(URLQueryItem(name: "account", value: account)) }
            if let position { items.append(URLQueryItem(name: "cursor", value: position)) }
            if let count { items.append(URLQueryItem(name: "limit", value: String(min(1000, count - printed)))) }
            components.queryItems = items
            let response: HTTPGetClient.Response
            do {
                response = try await client.get(components.percentEncodedPath + "?" + (components.percentEncodedQuery ?? ""),
                                                headers: [("Authorization", "Bearer \(token)")],
                                                timeout: .seconds(wait + 30))
            } catch {
                throw CLIFailure.usage("cannot read \(url)/v1/stream: \(error)")
            }
            let data = response.body
            guard response.status == 200 else {
                throw CLIFailure.usage("server answered \(response.status): \(String(decoding: data, as: UTF8.self))")
            }
            // The ledger's own parser and canonical form: lines come out exactly as an NDJSON
            // export holds them, numbers untouched.
            guard let page = try? JSONParser().parse(data), let events = page["events"]?.arrayValue,
                  let next = page["next_cursor"]?.stringValue else {
                throw CLIFailure.usage("unexpected response from \(url)")
            }
            for event in events {
                FileHandle.standardOutput.write(Data((event.canonicalText + "\n").utf8))
            }
            printed += events.count
            position = next
        }
        if let position { StandardError.write("cursor: \(position)\n") }
    }
}
