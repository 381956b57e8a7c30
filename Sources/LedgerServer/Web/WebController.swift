import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /` and `GET /assets/{file}`: the account owners' web page, served by the binary itself.
///
/// The page is static: its script signs in with a read token kept in the browser's session
/// storage and calls the JSON API with it, so these routes need no token and read nothing from
/// the ledger. Every response carries a Content-Security-Policy that allows only this origin's
/// own script, style and API, and no inline code: event fields are attacker-controlled text,
/// and the policy is the second line of defence behind the script's text-only rendering.
struct WebController: Sendable {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
        "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func addRoutes(to router: Router<AppRequestContext>) {
        // The page's own URL carries the search (`/?name=stack.*&range=7d`), so `/` takes any query.
        router.get("/", use: page)
        router.get("assets/{file}", use: asset)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.response(WebAssets.page)
    }

    @Sendable func asset(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let asset = WebAssets.byFile[try context.parameters.require("file")] else { throw APIError.notFound }
        return Self.response(asset)
    }

    static func response(_ asset: WebAsset) -> Response {
        Response(status: .ok, headers: [
            .contentType: asset.contentType,
            .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "no-referrer",
            // Small files that change with the binary: revalidate rather than serve a stale script.
            .cacheControl: "no-cache",
        ], body: ResponseBody(byteBuffer: ByteBuffer(string: asset.body)))
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
