/// One file of the web page, compiled into the binary so that `auditledger serve` needs no
/// resource directory beside it.
struct WebAsset: Sendable {
    let contentType: String
    let body: String
}

enum WebAssets {
    static let page = WebAsset(contentType: "text/html; charset=utf-8", body: pageHTML)

    /// What `/assets/{file}` serves; the page links to each by this name.
    static let byFile: [String: WebAsset] = [
        "app.js": WebAsset(contentType: "text/javascript; charset=utf-8", body: appJavaScript),
        "app.css": WebAsset(contentType: "text/css; charset=utf-8", body: appCSS),
        "icon.svg": WebAsset(contentType: "image/svg+xml", body: iconSVG),
    ]
}
