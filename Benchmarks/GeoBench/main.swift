import Foundation
import GeoBenchBaseline
import GeoIP
import LedgerCore

// GeoBench: the GeoIP module against a plain C loop over libmaxminddb on the same database and
// addresses, and a dump mode that scripts/geo-integration compares with mmdblookup.
//
//   GeoBench bench DATABASE [ADDRESS-COUNT]   lookups/s: C loops, GeoIP uncached (interleaved), cached, reloading
//   GeoBench dump DATABASE < addresses        one JSON object per input line
//   GeoBench resident DATABASE                how much of the file lookups of random public
//                                             addresses bring into this process's RSS
//   GeoBench profile uncached|c|c-copying DATABASE [COUNT]  one pass of one loop only, for callgrind:
//       valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*profiledLoop*' ...

/// Public addresses only (special-purpose ones are never looked up by ingest): 80% IPv4
/// anywhere, 20% IPv6 in the regional registries' big blocks, where records exist.
func publicAddresses(count: Int, seed: UInt64) -> [IPAddress] {
    var random = SplitMix64(seed: seed)
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

    // The C loops and the uncached GeoIP loop run interleaved, one pass each per round, so that
    // load from other work on the machine hits all three alike; each round gives its own ratios,
    // and the median ratio is reported along with each loop's best rate.
    let rounds = 9
    var cRates: [Double] = [], copyingRates: [Double] = [], uncachedRates: [Double] = []
    var checksums: Set<UInt64> = []
    for _ in 0..<rounds {
        let c = bestRate(of: count, rounds: 1) { geo_baseline_lookup_all(baseline, packed, isIPv4, count) }
        let copying = bestRate(of: count, rounds: 1) { geo_baseline_lookup_all_copying(baseline, packed, isIPv4, count) }
        let uncached = bestRate(of: count, rounds: 1) { addresses.reduce(0) { $0 &+ checksum(try? database.lookup($1)) } }
        cRates.append(c.rate)
        copyingRates.append(copying.rate)
        uncachedRates.append(uncached.rate)
        checksums.formUnion([c.checksum, copying.checksum, uncached.checksum])
    }
    // Audit traffic repeats addresses: 10,000 distinct addresses seen over and over.
    let repeated = (0..<count).map { addresses[$0 % min(10_000, count)] }
    let cached = CachedGeoLocator(base: database, capacity: 100_000)
    let cachedRate = bestRate(of: count) { repeated.reduce(0) { $0 &+ checksum(cached.locate($1).location) } }
    let reloading = try ReloadingGeoLocator(path: databasePath)
    let reloadingRate = bestRate(of: count) { repeated.reduce(0) { $0 &+ checksum(reloading.locate($1).location) } }

    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    let versusC = median(zip(uncachedRates, cRates).map { $0 / $1 })
    let versusCopying = median(zip(uncachedRates, copyingRates).map { $0 / $1 })
    print("checksums      \(checksums.count == 1 ? "identical" : "DIFFER: \(checksums.sorted())") across the C loops and GeoIP")
    print("C loop         \(format(cRates.max()!))  (libmaxminddb: lookup + MMDB_aget_value of the same fields, read in place)")
    print("C loop, copies \(format(copyingRates.max()!))  (the same, every string copied into an owned, freed result)")
    print("GeoIP uncached \(format(uncachedRates.max()!))  (GeoIPDatabase.lookup: owned GeoLocation)")
    print("GeoIP cached   \(format(cachedRate.rate))  (CachedGeoLocator, 10k distinct addresses)")
    print("reloading      \(format(reloadingRate.rate))  (ReloadingGeoLocator, cached, with its reload check)")
    print("ratio uncached/C: \(String(format: "%.3f", versusC)) (median of \(rounds) interleaved rounds, " +
          "range \(String(format: "%.3f", zip(uncachedRates, cRates).map { $0 / $1 }.min()!))–\(String(format: "%.3f", zip(uncachedRates, cRates).map { $0 / $1 }.max()!)))")
    print("ratio uncached/C with copies: \(String(format: "%.3f", versusCopying))")
}

/// One pass of one loop, in a function callgrind can be told to collect in, so that opening and
/// validating the database (most of a short run's instructions) is left out of the profile.
@inline(never)
func profiledLoop(_ body: () -> UInt64) -> UInt64 { body() }

func profile(which: String, databasePath: String, count: Int) throws {
    let database = try GeoIPDatabase(path: databasePath)
    let addresses = publicAddresses(count: count, seed: 20_250_101)
    let packed = addresses.flatMap(\.bytes16)
    let isIPv4 = addresses.map { UInt8($0.isIPv4 ? 1 : 0) }
    guard let baseline = geo_baseline_open(databasePath) else { throw GeoIPDatabaseError.cannotOpen(path: databasePath, reason: "C baseline") }
    defer { geo_baseline_close(baseline) }
    let sum: UInt64
    switch which {
    case "c": sum = profiledLoop { geo_baseline_lookup_all(baseline, packed, isIPv4, count) }
    case "c-copying": sum = profiledLoop { geo_baseline_lookup_all_copying(baseline, packed, isIPv4, count) }
    default: sum = profiledLoop { addresses.reduce(0) { $0 &+ checksum(try? database.lookup($1)) } }
    }
    print("\(which): checksum \(sum)")
}

/// KiB of `path` in this process's resident set: the `Rss` of every mapping of the file, from
/// /proc/self/smaps (Linux only).
func residentKiB(ofFile path: String) throws -> Int {
    // Read to the end rather than by the file's size: /proc files report a size of 0.
    guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else {
        throw GeoIPDatabaseError.cannotOpen(path: "/proc/self/smaps", reason: "resident sizes need Linux")
    }
    defer { try? handle.close() }
    let smaps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    var inFile = false
    var total = 0
    for line in smaps.split(separator: "\n") {
        // A mapping's header starts with its address range ("7f3a…-7f3b… r--p …  /path").
        if line.prefix(while: { $0 != " " }).allSatisfy({ "0123456789abcdef-".contains($0) }) {
            inFile = line.hasSuffix(" " + path)
        } else if inFile, line.hasPrefix("Rss:") {
            total += line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        }
    }
    return total
}

/// The database file's resident KiB after growing numbers of lookups of random public
/// addresses: through `GeoIPDatabase` (as the server looks up, after it hands back the pages its
/// validation read), and through a plain libmaxminddb loop with and without MADV_RANDOM.
func resident(databasePath: String) throws {
    let path = URL(fileURLWithPath: databasePath).resolvingSymlinksInPath().path
    let checkpoints = [1_000, 5_000, 20_000, 200_000]
    let addresses = publicAddresses(count: checkpoints.last!, seed: 20_250_101)
    let packed = addresses.flatMap(\.bytes16)
    let isIPv4 = addresses.map { UInt8($0.isIPv4 ? 1 : 0) }
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0) / 1024
    print("file           \(size) KiB")

    func report(_ name: String, lookups: (Range<Int>) -> Void) throws {
        var done = 0
        var line = String(name.padding(toLength: 15, withPad: " ", startingAt: 0))
        for checkpoint in checkpoints {
            lookups(done..<checkpoint)
            done = checkpoint
            line += "  \(checkpoint) lookups: \(try residentKiB(ofFile: path)) KiB"
        }
        print(line)
    }
    do {
        let database = try GeoIPDatabase(path: path)
        try report("GeoIPDatabase") { range in for address in addresses[range] { _ = try? database.lookup(address) } }
    }
    for advise in [false, true] {
        guard let baseline = geo_baseline_open(path) else { throw GeoIPDatabaseError.cannotOpen(path: path, reason: "C baseline") }
        defer { geo_baseline_close(baseline) }
        if advise && geo_baseline_advise_random(baseline) != 0 { throw GeoIPDatabaseError.cannotOpen(path: path, reason: "madvise") }
        try report(advise ? "C, MADV_RANDOM" : "C") { range in
            packed.withUnsafeBufferPointer { bytes in
                isIPv4.withUnsafeBufferPointer { flags in
                    _ = geo_baseline_lookup_all(baseline, bytes.baseAddress! + 16 * range.lowerBound,
                                                flags.baseAddress! + range.lowerBound, range.count)
                }
            }
        }
    }
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
    case ("profile", let which?):
        guard let path = arguments.dropFirst(2).first else { exit(2) }
        try profile(which: which, databasePath: path, count: arguments.dropFirst(3).first.flatMap { Int($0) } ?? 20_000)
    case ("dump", let path?):
        try dump(databasePath: path)
    case ("resident", let path?):
        try resident(databasePath: path)
    default:
        FileHandle.standardError.write(Data("usage: GeoBench bench DATABASE [COUNT] | GeoBench dump DATABASE < addresses | GeoBench resident DATABASE\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("GeoBench: \(error)\n".utf8))
    exit(2)
}
