import Foundation
import GeoBenchBaseline
import GeoIP
import LedgerCore

// GeoBench: the GeoIP module against a plain C loop over libmaxminddb on the same database and
// addresses, and a dump mode that scripts/geo-integration compares with mmdblookup.
//
//   GeoBench bench DATABASE [ADDRESS-COUNT]   lookups/s: C loop, GeoIP uncached, cached, reloading
//   GeoBench dump DATABASE < addresses        one JSON object per input line

/// A fixed-seed generator, so every run measures the same addresses.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Public addresses only (special-purpose ones are never looked up by ingest): 80% IPv4
/// anywhere, 20% IPv6 in the regional registries' big blocks, where records exist.
func publicAddresses(count: Int, seed: UInt64) -> [IPAddress] {
    var random = SplitMix64(state: seed)
    let ipv6Blocks: [UInt16] = [0x2001, 0x2400, 0x2600, 0x2800, 0x2a00, 0x2c00]
    var addresses: [IPAddress] = []
    addresses.reserveCapacity(count)
    while addresses.count < count {
        let bytes: [UInt8]
        if random.next() % 5 == 0 {
            let block = ipv6Blocks.randomElement(using: &random)!
            let rest = (0..<14).map { _ in UInt8.random(in: 0...255, using: &random) }
            bytes = [UInt8(block >> 8), UInt8(block & 0xff) | (rest[0] & 0x0f)] + rest.dropFirst() + [0]
        } else {
            bytes = (0..<4).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        if let address = IPAddress(bytes: bytes), address.specialPurpose == nil { addresses.append(address) }
    }
    return addresses
}

/// The best of `rounds` runs, in lookups per second: the least disturbed by other work on the machine.
func bestRate(of count: Int, rounds: Int = 5, _ body: () -> UInt64) -> (rate: Double, checksum: UInt64) {
    var best = Duration.seconds(1_000_000)
    var checksum: UInt64 = 0
    for _ in 0..<rounds {
        let start = ContinuousClock.now
        checksum = body()
        best = min(best, ContinuousClock.now - start)
    }
    let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
    return (Double(count) / seconds, checksum)
}

/// Folds what a lookup returned into a number, the way the C loop does, so neither side's
/// work can be optimised away.
func checksum(_ location: GeoLocation?) -> UInt64 {
    guard let location else { return 0 }
    // No array literal of the fields: allocating one per lookup would bill the benchmark to GeoIP.
    func fold(_ text: String?) -> UInt64 {
        guard let text else { return 0 }
        return UInt64(text.utf8.count) &+ UInt64(text.utf8.first ?? 0)
    }
    var sum: UInt64 = 1
    sum &+= fold(location.continentCode) &+ fold(location.countryCode) &+ fold(location.country)
    sum &+= fold(location.subdivisionCode) &+ fold(location.subdivision) &+ fold(location.city)
    sum &+= fold(location.postalCode) &+ fold(location.timeZone)
    sum &+= UInt64(bitPattern: Int64((location.latitude ?? 0) * 1000))
    sum &+= UInt64(bitPattern: Int64((location.longitude ?? 0) * 1000))
    return sum &+ UInt64(location.accuracyRadiusKm ?? 0)
}

func format(_ rate: Double) -> String { String(format: "%12.0f lookups/s", rate) }

func bench(databasePath: String, count: Int) throws {
    let openStart = ContinuousClock.now
    let database = try GeoIPDatabase(path: databasePath)
    print("database       \(database.metadata.databaseType), build epoch \(database.metadata.buildEpoch), " +
          "opened and validated in \(ContinuousClock.now - openStart)")
    let addresses = publicAddresses(count: count, seed: 20_250_101)
    let packed = addresses.flatMap(\.bytes16)
    let isIPv4 = addresses.map { UInt8($0.isIPv4 ? 1 : 0) }
    guard let baseline = geo_baseline_open(databasePath) else { throw GeoIPDatabaseError.cannotOpen(path: databasePath, reason: "C baseline") }
    defer { geo_baseline_close(baseline) }

    let found = addresses.reduce(0) { $0 + ((try? database.lookup($1)) != nil ? 1 : 0) }
    print("addresses      \(count) public (\(isIPv4.filter { $0 == 1 }.count) IPv4), \(found) found")

    let cLoop = bestRate(of: count) { geo_baseline_lookup_all(baseline, packed, isIPv4, count) }
    let uncached = bestRate(of: count) {
        addresses.reduce(0) { $0 &+ checksum(try? database.lookup($1)) }
    }
    // Audit traffic repeats addresses: 10,000 distinct addresses seen over and over.
    let repeated = (0..<count).map { addresses[$0 % min(10_000, count)] }
    let cached = CachedGeoLocator(base: database, capacity: 100_000)
    let cachedRate = bestRate(of: count) { repeated.reduce(0) { $0 &+ checksum(cached.locate($1).location) } }
    let reloading = try ReloadingGeoLocator(path: databasePath)
    let reloadingRate = bestRate(of: count) { repeated.reduce(0) { $0 &+ checksum(reloading.locate($1).location) } }

    print("C loop         \(format(cLoop.rate))  (libmaxminddb, same fields)")
    print("GeoIP uncached \(format(uncached.rate))  \(String(format: "%.1f%%", 100 * uncached.rate / cLoop.rate)) of the C loop")
    print("GeoIP cached   \(format(cachedRate.rate))  (CachedGeoLocator, 10k distinct addresses)")
    print("reloading      \(format(reloadingRate.rate))  (ReloadingGeoLocator, cached, with its reload check)")
    print("ratio uncached/C: \(String(format: "%.3f", uncached.rate / cLoop.rate))")
}

/// One JSON object per address: the fields GeoLocation holds, or the status.
func dump(databasePath: String) throws {
    let database = try GeoIPDatabase(path: databasePath)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    struct Line: Encodable {
        let ip: String
        let status: String
        let location: GeoLocation?
        let error: String?
    }
    while let text = readLine() {
        guard let address = IPAddress(text) else {
            print(String(decoding: try encoder.encode(Line(ip: text, status: "invalid", location: nil, error: nil)), as: UTF8.self))
            continue
        }
        let line: Line
        do {
            let location = try database.lookup(address)
            line = Line(ip: text, status: location == nil ? "not_found" : "ok", location: location, error: nil)
        } catch {
            line = Line(ip: text, status: "error", location: nil, error: error.description)
        }
        print(String(decoding: try encoder.encode(line), as: UTF8.self))
    }
}

let arguments = CommandLine.arguments.dropFirst()
do {
    switch (arguments.first, arguments.dropFirst().first) {
    case ("bench", let path?):
        try bench(databasePath: path, count: arguments.dropFirst(2).first.flatMap { Int($0) } ?? 200_000)
    case ("dump", let path?):
        try dump(databasePath: path)
    default:
        FileHandle.standardError.write(Data("usage: GeoBench bench DATABASE [COUNT] | GeoBench dump DATABASE < addresses\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("GeoBench: \(error)\n".utf8))
    exit(2)
}
