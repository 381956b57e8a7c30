#!/usr/bin/env python3
"""Verify an AuditLedger signed checkpoint with nothing but the log's verifier key.

Independent of the Swift code on purpose: an auditor can read this file, check it
against c2sp.org/signed-note and c2sp.org/tlog-checkpoint, and run it with Python's
`cryptography` package.

Usage: verify-checkpoint.py VERIFIER_KEY [NOTE_FILE]   (reads stdin without a file)
       VERIFIER_KEY is "<name>+<hex8 key hash>+<base64(0x01 || ed25519 public key)>".
Exit status: 0 verified, 1 not verified (malformed, unsigned, forged), 2 usage error.
"""

import base64
import binascii
import hashlib
import re
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
MAX_SIGNATURES = 100


class Rejected(Exception):
    """The note or key is not acceptable; the message says why."""


def strict_b64decode(text):
    """Standard base64, canonical form only (one value, one text)."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Rejected(f"bad base64: {text!r}")
    if not text or base64.b64encode(raw).decode("ascii") != text:
        raise Rejected(f"non-canonical base64: {text!r}")
    return raw


def valid_key_name(name):
    return bool(name) and "+" not in name and not any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in name)


def key_hash(name, typed_public_key):
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + typed_public_key).digest()
    return int.from_bytes(digest[:4], "big")


def parse_verifier_key(vkey):
    parts = vkey.split("+", 2)
    if len(parts) != 3 or not valid_key_name(parts[0]) or not re.fullmatch(r"[0-9a-fA-F]{8}", parts[1]):
        raise Rejected("malformed verifier key")
    name, claimed = parts[0], int(parts[1], 16)
    typed = strict_b64decode(parts[2])
    if len(typed) != 33 or typed[0] != ED25519:
        raise Rejected("verifier key is not an Ed25519 key")
    if key_hash(name, typed) != claimed:
        raise Rejected("verifier key hash does not match its name and key")
    return name, claimed, Ed25519PublicKey.from_public_bytes(typed[1:])


def parse_note(data):
    try:
        note = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected("note is not UTF-8")
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise Rejected("note contains a control character")
    split = note.rfind("\n\n")
    if split < 0:
        raise Rejected("no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n"):
        raise Rejected("no signature, or the note does not end in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise Rejected("too many signatures")
    signatures = []
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise Rejected(f"not a signature line: {line!r}")
        name, sep, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        if not sep or not valid_key_name(name):
            raise Rejected(f"bad key name in: {line!r}")
        raw = strict_b64decode(encoded)
        if len(raw) < 5:
            raise Rejected(f"signature too short in: {line!r}")
        signatures.append((name, int.from_bytes(raw[:4], "big"), raw[4:]))
    return text, signatures


def parse_checkpoint(text):
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise Rejected("checkpoint has fewer than three lines")
    origin, size, root = lines[0], lines[1], lines[2]
    if not origin:
        raise Rejected("empty origin")
    if not re.fullmatch(r"0|[1-9][0-9]*", size) or int(size) >= 2**64:
        raise Rejected(f"bad tree size: {size!r}")
    if len(strict_b64decode(root)) != 32:
        raise Rejected("root hash is not 32 bytes")
    if any(not line for line in lines[3:]):
        raise Rejected("empty extension line")
    return origin, int(size), root, lines[3:]


def verify(vkey, data):
    name, khash, public_key = parse_verifier_key(vkey)
    text, signatures = parse_note(data)
    verified = False
    for sig_name, sig_hash, signature in signatures:
        if (sig_name, sig_hash) != (name, khash):
            continue  # another key's signature (a witness, a rotated key): ignored per spec
        try:
            public_key.verify(signature, text.encode("utf-8"))
        except InvalidSignature:
            raise Rejected(f"invalid signature by {name}+{khash:08x}")
        verified = True
    if not verified:
        raise Rejected(f"no signature by {name}+{khash:08x}")
    origin, size, root, extensions = parse_checkpoint(text)
    if origin != name:
        raise Rejected(f"origin {origin!r} is not the key name {name!r}")
    return origin, size, root, extensions


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        if len(argv) == 3:
            with open(argv[2], "rb") as f:
                data = f.read()
        else:
            data = sys.stdin.buffer.read()
    except OSError as error:
        print(f"cannot read note: {error}", file=sys.stderr)
        return 2
    try:
        origin, size, root, extensions = verify(argv[1], data)
    except Rejected as reason:
        print(f"NOT VERIFIED: {reason}", file=sys.stderr)
        return 1
    print(f"verified: origin={origin} size={size} root={root}")
    for line in extensions:
        print(f"extension: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
