import HTTPTypes
import HummingbirdTesting
@testable import LedgerServer
import Testing

@Suite("GET / and /assets/*: the web page")
struct WebTests {
    static let files: [(uri: String, contentType: String)] = [
        ("/", "text/html; charset=utf-8"),
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/app.css", "text/css; charset=utf-8"),
        ("/assets/icon.svg", "image/svg+xml"),
    ]

    @Test func pageAndAssetsAreServedWithoutATokenUnderAStrictPolicy() async throws {
        try await TestServer.run { _, client in
            for file in Self.files {
                let response = try await client.get(file.uri)
                #expect(response.status == .ok, "\(file.uri)")
                #expect(response.headers[.contentType] == file.contentType, "\(file.uri)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(file.uri)")
                #expect(!response.text.isEmpty, "\(file.uri)")
                let policy = Self.directives(response.headers[.contentSecurityPolicy])
                #expect(policy["default-src"] == ["'self'"], "\(file.uri)")
                #expect(policy["script-src"] == ["'self'"], "\(file.uri)")
                #expect(policy["style-src"] == ["'self'"], "\(file.uri)")
                #expect(policy["object-src"] == ["'none'"], "\(file.uri)")
                #expect(policy["frame-ancestors"] == ["'none'"], "\(file.uri)")
            }
        }
    }

    /// The page's own URL carries the search, which the script reads; the server serves the
    /// same page for any query, and never asks for a token (the token lives in the browser).
    @Test func thePageIsServedForAnySearchInItsURL() async throws {
        try await TestServer.run { server, client in
            for uri in ["/?name=stack.*&range=7d", "/?cursor=not-a-cursor&event=9", "/?unknown=%ZZ"] {
                let response = try await client.get(uri)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.text == WebAssets.pageHTML, "\(uri)")
            }
            // A token sent anyway changes nothing, and the API beside the page still requires one.
            #expect(try await client.get("/", token: server.readA).status == .ok)
            #expect(try await client.get("/v1/events").status == .unauthorized)
        }
    }

    @Test func anUnknownAssetIsTheAPIsNotFound() async throws {
        try await TestServer.run { _, client in
            for uri in ["/assets/nope.js", "/assets/..%2FPackage.swift", "/index.html"] {
                let response = try await client.get(uri)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.errorCode == "not_found", "\(uri)")
            }
        }
    }

    /// What the policy would refuse must not be in the page in the first place: every script
    /// and stylesheet is one of the served assets, and there is no inline code or style.
    @Test func thePageLoadsOnlyItsOwnFilesAndHasNoInlineCode() throws {
        let html = WebAssets.pageHTML
        let references = Self.matches(of: #"(?:src|href)="([^"]*)""#, in: html)
        #expect(!references.isEmpty)
        for reference in references {
            if reference.hasPrefix("#") { continue }
            #expect(reference.hasPrefix("/assets/"), "\(reference)")
            #expect(WebAssets.byFile[String(reference.dropFirst("/assets/".count))] != nil, "\(reference)")
        }
        #expect(Self.matches(of: #"<script(?![^>]*\ssrc=)[^>]*>"#, in: html).isEmpty, "inline script")
        #expect(!html.contains("<style"), "inline style element")
        #expect(Self.matches(of: #"\sstyle="#, in: html).isEmpty, "style attribute")
        #expect(Self.matches(of: #"\son[a-z]+="#, in: html).isEmpty, "event handler attribute")
        #expect(Self.matches(of: #"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}"#, in: html).allSatisfy { $0.contains("www.w3.org/2000/svg") })
    }

    /// Event fields are attacker-controlled; the script puts them in the page only as text.
    /// None of the DOM's markup-parsing sinks, nor code from strings, may appear in it.
    @Test func theScriptHasNoMarkupOrCodeSinks() {
        let script = WebAssets.appJavaScript
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "createContextualFragment",
                     "DOMParser", "eval(", "new Function", "setAttribute('on", "srcdoc"] {
            #expect(!script.contains(sink), "\(sink)")
        }
        #expect(script.contains("textContent"))
        #expect(!script.contains("localStorage"), "the token is kept for the tab's session only")
    }

    static func directives(_ header: String?) -> [String: [String]] {
        var directives: [String: [String]] = [:]
        for part in (header ?? "").split(separator: ";") {
            let words = part.split(separator: " ").map(String.init)
            guard let name = words.first else { continue }
            directives[name] = Array(words.dropFirst())
        }
        return directives
    }

    static func matches(of pattern: String, in text: String) -> [String] {
        guard let regex = try? Regex(pattern) else { Issue.record("bad pattern \(pattern)"); return [] }
        return text.matches(of: regex).map { match in
            match.output.count > 1 ? match.output[1].substring.map(String.init) ?? "" : String(match.output[0].substring ?? "")
        }
    }
}
