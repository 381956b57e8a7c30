extension Checkpoint {
    /// Opens a signed checkpoint note: checks the note's structure, requires a valid signature
    /// by `verifier`, parses the checkpoint text and checks its origin.
    ///
    /// - Parameter expectedOrigin: the log's origin; by default the verifier's key name.
    /// - Throws: ``NoteError`` for a malformed or unsigned note, a bad signature, a malformed
    ///   checkpoint, or ``NoteError/unexpectedOrigin(expected:actual:)``.
    public init(verifying note: String, using verifier: NoteVerifier, expectedOrigin: String? = nil) throws {
        let signedNote = try SignedNote(parsing: note)
        _ = try signedNote.verifiedSignatures(using: [verifier])
        try self.init(text: signedNote.text)
        let expected = expectedOrigin ?? verifier.name
        guard origin == expected else { throw NoteError.unexpectedOrigin(expected: expected, actual: origin) }
    }
}
