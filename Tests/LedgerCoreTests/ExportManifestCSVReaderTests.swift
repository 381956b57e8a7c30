import LedgerCore
import Testing

@Suite struct ExportManifestCSVReaderTests {
    func records(_ text: String, chunk: Int = 1) throws -> [[String]] {
        var reader = CSVRecordReader()
        var records: [[String]] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            try reader.feed(bytes[start..<min(start + chunk, bytes.count)], into: &records)
            start += chunk
        }
        if let last = try reader.finish() { records.append(last) }
        return records
    }

    @Test func readsWhatCSVWriterWritesWhateverTheChunking() throws {
        let rows = [["a", "b,c", "say \"hi\"", "two\r\nlines", ""], ["", "", "x", "\n", "é"]]
        let text = rows.map { CSVWriter().row($0) }.joined()
        for chunk in [1, 2, 3, 7, 1000] { #expect(try records(text, chunk: chunk) == rows) }
        #expect(try records("a,b\nc,d") == [["a", "b"], ["c", "d"]])
        #expect(try records("") == [])
    }

    @Test(arguments: [
        ("a,b\"c\r\n", "a quote inside an unquoted field"),
        ("\"ab\"c,d\r\n", "text after a closing quote"),
        ("\"open,field\r\n", "a quoted field is not closed"),
        ("a\rb\r\n", "a carriage return that does not end the record"),
        ("x\r\na,b\r", "the input ends in a carriage return"),
    ])
    func rejectsWhatRFC4180DoesNotAllow(input: String, reason: String) throws {
        #expect(throws: CSVRecordReader.Malformed.self) { try records(input) }
        do {
            _ = try records(input)
        } catch let error as CSVRecordReader.Malformed {
            #expect(error.reason == reason)
        }
    }
}
