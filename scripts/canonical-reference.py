#!/usr/bin/env python3
"""An independent implementation of AuditLedger's canonical encoding, version 1, written from
the layout documented in Sources/LedgerCore/Event/CanonicalEncoding.swift and the README.

It prints the canonical bytes (hex) and the event hash for the golden event used by
Tests/LedgerCoreTests/EventEncodingTests.swift, so that the golden values in that test are
derived from the documentation, not copied from the code under test."""
import hashlib
import ipaddress
import struct


def u8(v): return struct.pack(">B", v)
def u32(v): return struct.pack(">I", v)
def u64(v): return struct.pack(">Q", v)
def i64(v): return struct.pack(">q", v)
def f64(v): return struct.pack(">d", v)
def s(text): b = text.encode("utf-8"); return u32(len(b)) + b
def opt(value, enc): return b"\x00" if value is None else b"\x01" + enc(value)


def micros(year, month, day, hour, minute, second, micro=0):
    import datetime
    t = datetime.datetime(year, month, day, hour, minute, second, micro, tzinfo=datetime.timezone.utc)
    return int(t.timestamp()) * 1_000_000 + micro


def encode(e):
    out = u8(1) + u64(e["seq"]) + u64(e["account_seq"]) + i64(e["received_at"])
    out += s(e["account"]) + opt(e["id"], s) + s(e["name"])
    a = e["actor"]
    out += s(a["id"]) + opt(a.get("name"), s) + opt(a.get("email"), s) + opt(a.get("type"), s)
    ip = e.get("ip")
    out += opt(ip, lambda x: u8(len(ipaddress.ip_address(x).packed)) + ipaddress.ip_address(x).packed)
    out += i64(e["occurred_at"]) + u8({"success": 0, "failure": 1}[e["outcome"]])
    out += u32(len(e["targets"]))
    for t in e["targets"]:
        out += s(t["type"]) + s(t["id"]) + opt(t.get("name"), s)
    out += opt(e.get("description"), s) + opt(e.get("user_agent"), s) + opt(e.get("metadata"), s)
    out += u8({"ok": 0, "private": 1, "not_found": 2, "no_ip": 3, "no_database": 4}[e["geo_status"]])
    g = e.get("geo")
    def location(g):
        b = b""
        for k in ["country_code", "country", "subdivision_code", "subdivision", "city", "postal_code"]:
            b += opt(g.get(k), s)
        b += opt(g.get("latitude"), f64) + opt(g.get("longitude"), f64) + opt(g.get("accuracy_radius_km"), u32)
        for k in ["time_zone", "continent_code", "database_type"]:
            b += opt(g.get(k), s)
        return b + opt(g.get("database_build_epoch"), u64)
    out += opt(g, location)
    return out + bytes.fromhex(e["previous_hash"])


GOLDEN = {
    "seq": 7, "account_seq": 3, "received_at": micros(2026, 11, 21, 12, 0, 0, 123456),
    "account": "acme", "id": "evt-1", "name": "stack.deploy",
    "actor": {"id": "u_42", "name": "Jane", "email": "jane@acme.example", "type": "user"},
    "ip": "81.2.69.142", "occurred_at": micros(2026, 11, 21, 11, 59, 0),
    "targets": [{"type": "stack", "id": "prod", "name": "Production"}, {"type": "server", "id": "web-3"}],
    "outcome": "failure", "description": "Déployé, \"quoted\"\nnext line", "user_agent": "curl/8.0",
    "metadata": '{"a":[1,2.50,{"b":null}],"z":"ü"}', "geo_status": "ok",
    "geo": {"country_code": "GB", "country": "United Kingdom", "subdivision_code": "ENG", "subdivision": "England",
            "city": "London", "postal_code": "EC1A", "latitude": 51.5142, "longitude": -0.0931,
            "accuracy_radius_km": 10, "time_zone": "Europe/London", "continent_code": "EU",
            "database_type": "GeoLite2-City", "database_build_epoch": 1735689600},
    "previous_hash": "ab" * 32,
}

if __name__ == "__main__":
    data = encode(GOLDEN)
    print(len(data))
    print(data.hex())
    print(hashlib.sha256(b"\x00" + data).hexdigest())
