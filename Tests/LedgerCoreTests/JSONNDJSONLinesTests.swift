import Testing
@testable import LedgerCore

@Suite struct JSONNDJSONLinesTests {
    private func lines(_ text: String) -> [(number: Int, offset: Int, text: String)] {
        NDJSONLines(Array(text.utf8)).map { ($0.number, $0.offset, String(decoding: $0.bytes, as: UTF8.self)) }
    }

    @Test func numbersLinesFromOneAndSkipsBlankOnes() {
        let result = lines("{\"a\":1}\n\n  \t\n{\"b\":2}\r\n\r\n{\"c\":3}")
        #expect(result.map(\.number) == [1, 4, 6])
        #expect(result.map(\.text) == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
        #expect(result.map(\.offset) == [0, 13, 24])
    }

    @Test func trailingNewlineAddsNoLine() {
        #expect(lines("1\n2\n").map(\.text) == ["1", "2"])
        #expect(lines("").isEmpty)
        #expect(lines("\n\r\n \n").isEmpty)
    }

    @Test func onlyTheCRBeforeLFIsDropped() {
        #expect(lines("a\rb\r\nc\r").map(\.text) == ["a\rb", "c\r"])
    }

    @Test func slicesKeepOffsetsRelativeToTheSlice() throws {
        let body = Array("xxxx{\"n\":1}\n{\"n\":2}".utf8)
        let parsed = try NDJSONLines(body[4...]).map { ($0.offset, try JSONParser().parse($0.bytes)) }
        #expect(parsed.map(\.0) == [0, 8])
        #expect(parsed.map(\.1) == [["n": 1], ["n": 2]])
    }

    @Test func parseErrorsCanBeReportedPerLine() {
        let body = Array("{\"ok\":true}\n{\"ok\":tru}\n".utf8)
        let failures = NDJSONLines(body).compactMap { line -> String? in
            do {
                _ = try JSONParser().parse(line.bytes)
                return nil
            } catch {
                return "line \(line.number): \(error)"
            }
        }
        #expect(failures == ["line 2: invalid literal at byte 6"])
    }
}
