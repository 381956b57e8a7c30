import Hummingbird
import LedgerCore
import NIOCore

extension Response {
    /// A JSON response in canonical form (sorted keys, no whitespace): one text per value,
    /// the same form events are exported in.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var bytes = value.canonicalBytes
        bytes.append(UInt8(ascii: "\n"))
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
