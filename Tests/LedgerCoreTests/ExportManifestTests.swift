import Foundation
import LedgerCore
import Testing

@Suite struct ExportManifestTests {
    static let fixture = ExportFixture(count: 21)
    static let verifier = ExportFixture.signer.verifier

    @Test(arguments: ExportFormat.allCases)
    func anUntouchedExportVerifiesInAnyChunking(format: ExportFormat) throws {
        let (file, manifest) = Self.fixture.export(format)
        #expect(manifest.rowCount == 11)
        #expect(ExportVerifier.verify(file: file, manifest: manifest, verifier: Self.verifier) == nil)
        var byteByByte = ExportVerifier(manifest: manifest, verifier: Self.verifier)
        for byte in file { byteByByte.feed([byte]) }
        #expect(byteByByte.finish() == nil)
    }

    @Test func aSliceInTheMiddleLinksToItsPredecessorAndVerifies() throws {
        let from = ExportFixture.start.adding(seconds: 4 * 60), to = ExportFixture.start.adding(seconds: 13 * 60)
        let (file, manifest) = Self.fixture.export(.ndjson, from: from, to: to)
        #expect(manifest.first?.accountSeq == 3)
        #expect(manifest.firstPreviousHash == Self.fixture.events[2].hash)
        #expect(ExportVerifier.verify(file: file, manifest: manifest, verifier: Self.verifier) == nil)
        // Claiming a wider range than the rows were taken from is caught by the first row.
        var widened = manifest
        widened.receivedFrom = ExportFixture.start.adding(seconds: 5 * 60)
        #expect(ExportVerifier.verify(file: file, manifest: widened, verifier: Self.verifier)?.row == 1)
    }

    /// Every class of edit to the rows fails, naming the row where the file stops being the export.
    @Test(arguments: ExportFormat.allCases)
    func editedRowsFailWithTheirRowNumber(format: ExportFormat) throws {
        let (file, manifest) = Self.fixture.export(format)
        let (header, rows) = ExportFixture.rows(file, format: format)
        func check(_ edited: [[UInt8]]) -> ExportVerificationFailure? {
            ExportVerifier.verify(file: header + edited.joined(), manifest: manifest, verifier: Self.verifier)
        }
        var changed = rows
        changed[3] = Array(String(decoding: rows[3], as: UTF8.self).replacingOccurrences(of: "line, two", with: "line, 2wo").utf8)
        #expect(check(changed)?.row == 4)
        #expect(check(changed)?.reason.contains("changed") == true)

        var removed = rows
        removed.remove(at: 5)
        #expect(check(removed)?.row == 6)

        var added = rows
        added.insert(rows[2], at: 3)
        #expect(check(added)?.row == 4)

        var reordered = rows
        reordered.swapAt(6, 7)
        #expect(check(reordered)?.row == 7)

        #expect(check(rows + [rows[0]])?.row == 12)
        #expect(check(Array(rows.dropLast()))?.row == 11)
        #expect(check(Array(rows.dropFirst()))?.row == 1)

        // A row from another account, re-hashed correctly, is still not this export's.
        let stranger = Self.fixture.events[1]
        var foreign: [UInt8] = []
        if format == .csv { CSVWriter().appendRow(stranger.csvCells, to: &foreign) } else { foreign = stranger.json.canonicalBytes + [10] }
        var smuggled = rows
        smuggled.insert(foreign, at: 4)
        #expect(check(smuggled)?.row == 5)
    }

    /// A row altered and given a correct new hash breaks the chain at the next row.
    @Test func aRehashedRowBreaksTheChainAtTheNextRow() throws {
        let (file, manifest) = Self.fixture.export(.ndjson)
        var rows = ExportFixture.rows(file, format: .ndjson).rows
        var forged = Self.fixture.events[4]
        forged.content.description = "nothing happened"
        let resealed = StoredEvent(seq: forged.seq, accountSeq: forged.accountSeq, receivedAt: forged.receivedAt,
                                   content: forged.content, geo: forged.geo, previousHash: forged.previousHash)
        rows[2] = resealed.json.canonicalBytes + [10]
        let failure = ExportVerifier.verify(file: rows.joined().map { $0 }, manifest: manifest, verifier: Self.verifier)
        #expect(failure?.row == 4)
        // The file's digest alone would also have caught it; the row number is what the chain adds.
        #expect(failure?.reason.contains("row 3") == true)
    }

    @Test(arguments: ExportFormat.allCases)
    func editedManifestsAndWrongKeysFail(format: ExportFormat) throws {
        let (file, manifest) = Self.fixture.export(format)
        func check(_ edited: ExportManifest, _ verifier: NoteVerifier = Self.verifier) -> ExportVerificationFailure? {
            ExportVerifier.verify(file: file, manifest: edited, verifier: verifier)
        }
        var fewer = manifest
        fewer.rowCount = 10
        #expect(check(fewer)?.row == 11)
        var otherLast = manifest
        otherLast.last?.hash = Self.fixture.events[18].hash
        #expect(check(otherLast)?.row == 11)
        var otherDigest = manifest
        otherDigest.fileSHA256[0] ^= 1
        #expect(check(otherDigest)?.reason.contains("SHA-256") == true)
        var otherAccount = manifest
        otherAccount.account = "other"
        #expect(check(otherAccount)?.row == 1)
        var badProof = manifest
        badProof.inclusionProof?.hashes[0] = Self.fixture.events[0].hash
        #expect(check(badProof)?.reason.contains("not included") == true)
        var forgedNote = manifest
        forgedNote.checkpoint = manifest.checkpoint!.replacingOccurrences(of: "\n21\n", with: "\n22\n")
        #expect(check(forgedNote)?.reason.contains("not signed") == true)
        let stranger = try NoteSigner.generate(name: ExportFixture.signer.name).verifier
        #expect(check(manifest, stranger)?.reason.contains("not signed") == true)
    }

    @Test func theManifestRoundTripsThroughJSONAndRejectsBadFields() throws {
        let manifest = Self.fixture.export(.csv, to: ExportFixture.start.adding(seconds: 600)).manifest
        #expect(try ExportManifest(json: JSONParser().parse(manifest.json.canonicalBytes)) == manifest)
        var object = manifest.json.objectValue!
        object["row_count"] = .string("11")
        #expect(throws: ExportManifestError.invalidField("row_count")) { try ExportManifest(json: .object(object)) }
        object = manifest.json.objectValue!
        object["last_hash"] = .string("zz")
        #expect(throws: ExportManifestError.invalidField("last_hash")) { try ExportManifest(json: .object(object)) }
        object = manifest.json.objectValue!
        _ = object.removeValue(forKey: "inclusion_proof")
        #expect(throws: ExportManifestError.self) { try ExportManifest(json: .object(object)) }
        #expect(throws: ExportManifestError.invalidField("version")) { try ExportManifest(json: .object(["version": 2])) }
    }

    @Test func anEmptyExportVerifiesAndCannotHideRows() throws {
        let (file, manifest) = Self.fixture.export(.ndjson, from: ExportFixture.start.adding(seconds: 86_400))
        #expect(manifest.rowCount == 0 && manifest.first == nil)
        #expect(ExportVerifier.verify(file: file, manifest: manifest, verifier: Self.verifier) == nil)
        let someRow = Self.fixture.events[0].json.canonicalBytes + [10]
        #expect(ExportVerifier.verify(file: someRow, manifest: manifest, verifier: Self.verifier)?.row == 1)
    }
}
