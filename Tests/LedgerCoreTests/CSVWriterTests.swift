import Testing
@testable import LedgerCore

@Suite struct CSVWriterTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("\"", "\"\"\"\""),
        ("line\nbreak", "\"line\nbreak\""),
        ("cr\rhere", "\"cr\rhere\""),
        ("  spaced  ", "  spaced  "),
        ("héllo;tab\there", "héllo;tab\there"),
        ("=SUM(A1)", "=SUM(A1)"),
    ])
    func escapesPerRFC4180(_ input: String, _ expected: String) {
        #expect(CSVWriter().field(input) == expected)
    }

    @Test func rowsEndWithCRLF() {
        let writer = CSVWriter()
        #expect(writer.row(["seq", "name", "description"]) == "seq,name,description\r\n")
        #expect(writer.row(["1", "stack.deploy", "a, \"quoted\"\nline"]) == "1,stack.deploy,\"a, \"\"quoted\"\"\nline\"\r\n")
        #expect(writer.row([""]) == "\r\n")
        #expect(writer.row(["", ""]) == ",\r\n")
    }

    @Test func appendRowStreamsIntoOneBuffer() {
        var buffer: [UInt8] = []
        let writer = CSVWriter()
        writer.appendRow(["a", "b"], to: &buffer)
        writer.appendRow(["c", "d,e"], to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "a,b\r\nc,\"d,e\"\r\n")
    }

    @Test(arguments: [
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
        ("+1", "'+1"),
        ("-5", "'-5"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tcmd", "'\tcmd"),
        ("\r\n=1", "\"'\r\n=1\""),
        ("a=1", "a=1"),
        ("plain", "plain"),
        ("", ""),
    ])
    func neutralisesFormulasOnlyWhenAsked(_ input: String, _ expected: String) {
        #expect(CSVWriter(neutralizesFormulas: true).field(input) == expected)
    }
}
