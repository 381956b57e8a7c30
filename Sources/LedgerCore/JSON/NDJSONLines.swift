/// The lines of an NDJSON (JSON Lines) body or file, without copying it.
///
/// Lines end at LF; a CR just before the LF is dropped, so CRLF files work. The last line
/// needs no terminator. Lines holding only spaces, tabs and CRs are skipped but still counted,
/// so `number` is the line an editor would show for the error in a file.
public struct NDJSONLines: Sequence, Sendable {
    /// One non-blank line.
    public struct Line: Hashable, Sendable {
        /// 1-based line number in the input.
        public var number: Int
        /// Offset of the line's first byte from the start of the input (for error messages
        /// relative to the whole body).
        public var offset: Int
        /// The line's bytes without the LF or CRLF; shares the input's storage.
        public var bytes: ArraySlice<UInt8>
    }

    public struct Iterator: IteratorProtocol, Sendable {
        private let input: ArraySlice<UInt8>
        private var position: Int
        private var lineNumber = 0

        fileprivate init(input: ArraySlice<UInt8>) {
            self.input = input
            self.position = input.startIndex
        }

        public mutating func next() -> Line? {
            while position < input.endIndex {
                lineNumber += 1
                let start = position
                let lineFeed = input[start...].firstIndex(of: UInt8(ascii: "\n"))
                var end = lineFeed ?? input.endIndex
                position = lineFeed.map { $0 + 1 } ?? input.endIndex
                if lineFeed != nil && end > start && input[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = input[start..<end]
                let isBlank = line.allSatisfy {
                    $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r")
                }
                if !isBlank {
                    return Line(number: lineNumber, offset: start - input.startIndex, bytes: line)
                }
            }
            return nil
        }
    }

    private let input: ArraySlice<UInt8>

    public init(_ bytes: [UInt8]) {
        input = bytes[...]
    }

    public init(_ bytes: ArraySlice<UInt8>) {
        input = bytes
    }

    public func makeIterator() -> Iterator {
        Iterator(input: input)
    }
}
