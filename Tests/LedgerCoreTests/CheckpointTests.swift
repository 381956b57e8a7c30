import Foundation
import LedgerCore
import Testing

@Suite struct CheckpointTests {
    /// The example of c2sp.org/tlog-checkpoint.
    static let specText = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    static let root = RFC6962Vectors.roots[7]
    static let rootBase64 = Data(root.bytes).base64EncodedString()

    @Test func specExampleRoundTrips() throws {
        let checkpoint = try Checkpoint(text: Self.specText)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.treeSize == 20_852_163)
        #expect(checkpoint.rootHash.bytes == Array(Data(base64Encoded: "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=") ?? Data()))
        #expect(checkpoint.extensions.isEmpty)
        #expect(checkpoint.text == Self.specText)
    }

    @Test func textRoundTripsWithExtensions() throws {
        let checkpoint = try Checkpoint(
            origin: "ledger.example/log", treeSize: 0, rootHash: .emptyTree, extensions: ["time 2026-11-22T10:00:00Z", "x y z"])
        #expect(checkpoint.text == "ledger.example/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\ntime 2026-11-22T10:00:00Z\nx y z\n")
        #expect(try Checkpoint(text: checkpoint.text) == checkpoint)
    }

    @Test(arguments: [
        "",                                             // nothing
        "o\n8\n\(rootBase64)",                          // no final newline
        "o\n8\n",                                       // two lines
        "\n8\n\(rootBase64)\n",                         // empty origin
        "o\n08\n\(rootBase64)\n",                       // leading zero
        "o\n+8\n\(rootBase64)\n",                       // sign
        "o\n-1\n\(rootBase64)\n",
        "o\n 8\n\(rootBase64)\n",
        "o\n\n\(rootBase64)\n",
        "o\n18446744073709551616\n\(rootBase64)\n",     // UInt64.max + 1
        "o\n8\n\(rootBase64.dropLast())\n",             // unpadded
        "o\n8\n\(Data(root.bytes.dropLast()).base64EncodedString())\n", // 31 bytes
        "o\n8\n\(Data(root.bytes + [0]).base64EncodedString())\n",      // 33 bytes
        "o\n8\n\(rootBase64.prefix(42))B=\n",           // non-canonical trailing bits
        "o\n8\n\(rootBase64)\n\n",                      // empty extension line
        "o\n8\n\(rootBase64)\next\n\n",
        "o\t1\n8\n\(rootBase64)\n",                     // control character
    ])
    func malformedTextIsRejected(text: String) {
        #expect(throws: NoteError.self) { try Checkpoint(text: text) }
    }

    @Test func zeroAndMaximumSizesParse() throws {
        #expect(try Checkpoint(text: "o\n0\n\(Self.rootBase64)\n").treeSize == 0)
        #expect(try Checkpoint(text: "o\n18446744073709551615\n\(Self.rootBase64)\n").treeSize == UInt64.max)
    }

    @Test func invalidFieldsCannotBeBuilt() {
        #expect(throws: NoteError.self) { try Checkpoint(origin: "", treeSize: 1, rootHash: Self.root) }
        #expect(throws: NoteError.self) { try Checkpoint(origin: "a\nb", treeSize: 1, rootHash: Self.root) }
        #expect(throws: NoteError.self) { try Checkpoint(origin: "o", treeSize: 1, rootHash: Self.root, extensions: [""]) }
        #expect(throws: NoteError.self) { try Checkpoint(origin: "o", treeSize: 1, rootHash: Self.root, extensions: ["a\nb"]) }
    }

    @Test func signedCheckpointsOpenWithTheVerifierKeyOnly() throws {
        let signer = CheckpointSigner(signer: try NoteSigner.generate(name: "ledger.example/log"))
        let time = Date(timeIntervalSince1970: 1_795_341_600)  // 2026-11-22T10:00:00Z
        let note = try signer.sign(treeSize: 8, rootHash: Self.root, time: time)
        #expect(note.text == "ledger.example/log\n8\n\(Self.rootBase64)\ntime 2026-11-22T10:00:00Z\n")

        let verifier = try NoteVerifier(verifierKey: signer.signer.verifier.verifierKey)
        let opened = try Checkpoint(verifying: note.serialized, using: verifier)
        #expect(opened.treeSize == 8)
        #expect(opened.rootHash == Self.root)
        #expect(opened.time == time)
        #expect(try Checkpoint(verifying: signer.sign(treeSize: 8, rootHash: Self.root).serialized, using: verifier).time == nil)

        // Changing the size or the root breaks the signature.
        let forged = note.serialized.replacingOccurrences(of: "\n8\n", with: "\n9\n")
        #expect(throws: NoteError.invalidSignature(name: verifier.name, keyHash: verifier.keyHash)) {
            try Checkpoint(verifying: forged, using: verifier)
        }
        // Another key's signature is not ours.
        let stranger = try NoteSigner.generate(name: "ledger.example/log")
        #expect(throws: NoteError.noVerifiedSignature) {
            try Checkpoint(verifying: note.serialized, using: stranger.verifier)
        }
        #expect(throws: NoteError.unexpectedOrigin(expected: "other.example/log", actual: "ledger.example/log")) {
            try Checkpoint(verifying: note.serialized, using: verifier, expectedOrigin: "other.example/log")
        }
    }
}
