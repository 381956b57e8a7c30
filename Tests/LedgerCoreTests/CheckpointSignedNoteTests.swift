import Foundation
import LedgerCore
import Testing

/// Signed-note behaviour, pinned to the test vectors of Go's golang.org/x/mod/sumdb/note so
/// that our keys and signatures are interchangeable with Go's and with C2SP clients.
@Suite struct CheckpointSignedNoteTests {
    static let peterSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let peterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let enochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterLine = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochLine = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

    static func verifier(_ key: String) -> NoteVerifier {
        do { return try NoteVerifier(verifierKey: key) } catch { preconditionFailure("\(error)") }
    }

    @Test func goKeysParseAndRoundTrip() throws {
        let signer = try NoteSigner(signerKey: Self.peterSignerKey)
        #expect(signer.name == "PeterNeumann")
        #expect(signer.keyHash == 0xc74f20a3)
        #expect(signer.signerKey == Self.peterSignerKey)
        #expect(signer.verifier.verifierKey == Self.peterVerifierKey)
        #expect(signer.verifier == Self.verifier(Self.peterVerifierKey))
        #expect(!signer.description.contains("AYEKFALV"), "the secret must not reach logs")
    }

    @Test func signingMatchesGo() throws {
        let note = try SignedNote(signing: Self.text, with: [NoteSigner(signerKey: Self.peterSignerKey)])
        #if canImport(Darwin)
        // CryptoKit randomises Ed25519 signatures, so only check that the note verifies.
        #expect(try note.verifiedSignatures(using: [Self.verifier(Self.peterVerifierKey)]).count == 1)
        #else
        // BoringSSL signs deterministically (RFC 8032), so the bytes must be Go's.
        #expect(note.serialized == Self.text + "\n" + Self.peterLine)
        #endif
    }

    @Test func goNotesVerify() throws {
        let peter = Self.verifier(Self.peterVerifierKey)
        let enoch = Self.verifier(Self.enochVerifierKey)
        let note = try SignedNote(parsing: Self.text + "\n" + Self.peterLine + Self.enochLine)
        #expect(note.text == Self.text)
        #expect(note.signatures.map(\.name) == ["PeterNeumann", "EnochRoot"])
        #expect(note.serialized == Self.text + "\n" + Self.peterLine + Self.enochLine)

        // Signatures by keys we do not know are ignored, not errors.
        #expect(try note.verifiedSignatures(using: [peter]).map(\.name) == ["PeterNeumann"])
        #expect(try note.verifiedSignatures(using: [peter, enoch]).map(\.keyHash) == [0xc74f20a3, 0xaf0cfe78])
        #expect(throws: NoteError.noVerifiedSignature) { try note.verifiedSignatures(using: []) }
        // Repeated identical signatures count once.
        let repeated = try SignedNote(parsing: Self.text + "\n" + Self.peterLine + Self.peterLine)
        #expect(try repeated.verifiedSignatures(using: [peter, peter]).count == 1)
    }

    @Test func alteredNotesFail() throws {
        let peter = Self.verifier(Self.peterVerifierKey)
        let altered = try SignedNote(parsing: Self.text.replacingOccurrences(of: "answer", with: "solution") + "\n" + Self.peterLine)
        #expect(throws: NoteError.invalidSignature(name: "PeterNeumann", keyHash: 0xc74f20a3)) {
            try altered.verifiedSignatures(using: [peter])
        }
        // Go's corrupted signature: "ABCD" spliced into the base64.
        let line = Array(Self.peterLine)
        let corrupted = String(line[..<60]) + "ABCD" + String(line[60...])
        #expect(throws: NoteError.invalidSignature(name: "PeterNeumann", keyHash: 0xc74f20a3)) {
            try SignedNote(parsing: Self.text + "\n" + corrupted).verifiedSignatures(using: [peter])
        }
        // A known key's bad signature rejects the note even if another signature is good.
        let enoch = Self.verifier(Self.enochVerifierKey)
        #expect(throws: NoteError.self) {
            try SignedNote(parsing: Self.text + "\n" + Self.enochLine + corrupted).verifiedSignatures(using: [peter, enoch])
        }
        // A different name or key hash makes the signature someone else's: unknown, so unverified.
        let renamed = Self.peterLine.replacingOccurrences(of: "PeterNeumann", with: "CarmenSandiego")
        #expect(throws: NoteError.noVerifiedSignature) {
            try SignedNote(parsing: Self.text + "\n" + renamed).verifiedSignatures(using: [peter])
        }
        let rehashed = Self.peterLine.replacingOccurrences(of: "x08g", with: "xxxx")
        #expect(throws: NoteError.noVerifiedSignature) {
            try SignedNote(parsing: Self.text + "\n" + rehashed).verifiedSignatures(using: [peter])
        }
    }

    @Test(arguments: [
        text,
        text + "\n",
        text + "\n" + String(peterLine.dropLast()),
        "\u{01}" + text + "\n" + peterLine,
        text.replacingOccurrences(of: "\n", with: "\r\n") + "\n" + peterLine,
        text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        text + "\n" + peterLine + "Unexpected line.\n",
        text + "\n" + peterLine.replacingOccurrences(of: "—", with: "-"),
        text + "\n" + peterLine.replacingOccurrences(of: "AM=", with: "AM"),
        text + "\n" + peterLine.replacingOccurrences(of: "AM=", with: "A*="),
        text + "\n" + "— PeterNeumann x08g\n",   // shorter than key hash + 1 byte
        text + "\n" + "— PeterNeumann\n",
        text + "\n" + String(repeating: peterLine, count: 101),
    ])
    func malformedNotesAreRejected(note: String) {
        #expect(throws: NoteError.self) { try SignedNote(parsing: note) }
    }

    @Test func invalidUTF8IsRejected() {
        let bytes = [0xff] + Array((Self.text + "\n" + Self.peterLine).utf8)
        #expect(throws: NoteError.malformedNote(reason: "note is not valid UTF-8")) { try SignedNote(parsing: bytes) }
        #expect(throws: Never.self) { try SignedNote(parsing: Array((Self.text + "\n" + Self.peterLine).utf8)) }
    }

    @Test func onlyWellFormedTextIsSigned() throws {
        let signer = try NoteSigner(signerKey: Self.peterSignerKey)
        #expect(throws: NoteError.self) { try SignedNote(signing: "abc", with: [signer]) }
        #expect(throws: NoteError.self) { try SignedNote(signing: "a\tb\n", with: [signer]) }
        #expect(throws: NoteError.self) { try SignedNote(signing: Self.text, with: []) }
    }

    @Test func manglesOfGoKeysAreRejected() {
        // As Go's TestNewVerifier / TestNewSigner: every proper substring and every single
        // byte change must fail.
        for key in [Self.peterVerifierKey, Self.peterSignerKey] {
            let parse: (String) throws -> Void = key.hasPrefix("PRIVATE")
                ? { _ = try NoteSigner(signerKey: $0) } : { _ = try NoteVerifier(verifierKey: $0) }
            let bytes = Array(key.utf8)
            for start in 0...bytes.count {
                for end in (start + 1)..<(bytes.count + 1) where !(start == 0 && end == bytes.count) {
                    let mangled = String(decoding: bytes[start..<end], as: UTF8.self)
                    #expect(throws: NoteError.self, "accepted \(mangled)") { try parse(mangled) }
                }
            }
            for index in bytes.indices {
                var changed = bytes
                changed[index] &+= 1
                let mangled = String(decoding: changed, as: UTF8.self)
                #expect(throws: NoteError.self, "accepted \(mangled)") { try parse(mangled) }
            }
        }
        // Go's wrong-length key and unknown algorithm, each with a matching key hash.
        #expect(throws: NoteError.malformedKey) {
            try NoteVerifier(verifierKey: "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
        }
        #expect(throws: NoteError.unsupportedAlgorithm(0x65)) {
            try NoteVerifier(verifierKey: "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        }
    }

    @Test func generatedKeysSignAndVerify() throws {
        let signer = try NoteSigner.generate(name: "ledger.example/log")
        let verifier = try NoteVerifier(verifierKey: signer.verifier.verifierKey)
        let restored = try NoteSigner(signerKey: signer.signerKey)
        #expect(restored.verifier == verifier)
        let note = try SignedNote(signing: "hello\n", with: [restored])
        #expect(try SignedNote(parsing: note.serialized).verifiedSignatures(using: [verifier]).count == 1)
        let other = try NoteSigner.generate(name: "ledger.example/log")
        #expect(throws: NoteError.self) {
            try SignedNote(parsing: note.serialized).verifiedSignatures(using: [other.verifier])
        }
        #expect(throws: NoteError.invalidKeyName("has space")) { try NoteSigner.generate(name: "has space") }
        #expect(throws: NoteError.invalidKeyName("a+b")) { try NoteSigner.generate(name: "a+b") }
        #expect(throws: NoteError.invalidKeyName("")) { try NoteSigner.generate(name: "") }
    }
}
