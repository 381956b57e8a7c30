import Foundation
import GeoIP
import LedgerCore
import Synchronization
import Testing

@Suite struct ReloadingGeoLocatorTests {
    /// A clock the test moves by hand, so "a check is due" is decided by the test, not by sleeping.
    final class ManualClock: Sendable {
        let instant = Mutex(ContinuousClock.now)
        func now() -> ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(by duration: Duration) { instant.withLock { $0 += duration } }
    }

    final class EventLog: Sendable {
        let events = Mutex<[GeoIPReloadEvent]>([])
        func record(_ event: GeoIPReloadEvent) { events.withLock { $0.append(event) } }
        var all: [GeoIPReloadEvent] { events.withLock { $0 } }
    }

    let directory: URL
    let databaseURL: URL
    let london = IPAddress("81.2.69.1")!

    init() throws {
        directory = try TestFiles.makeScratchDirectory()
        databaseURL = directory.appendingPathComponent("GeoLite2-City.mmdb")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: TestFiles.fixture), to: databaseURL)
    }

    func cityOfLondonAddress(_ locator: ReloadingGeoLocator) -> String? {
        locator.locate(london).location?.city
    }

    @Test func replacedFileIsServedAfterACheck() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = EventLog()
        let locator = try ReloadingGeoLocator(path: databaseURL.path, onEvent: log.record)
        #expect(cityOfLondonAddress(locator) == "London")

        #expect(locator.checkForUpdate() == .unchanged)
        try TestFiles.atomicallyReplace(databaseURL, with: try TestFiles.fixtureReplacing("London", with: "Londyn"))
        // The cached answer of the old database must not outlive the swap.
        #expect(cityOfLondonAddress(locator) == "London")
        #expect(locator.checkForUpdate() == .reloaded)
        #expect(cityOfLondonAddress(locator) == "Londyn")
        #expect(locator.checkForUpdate() == .unchanged)
        guard case .reloaded(let path, let metadata)? = log.all.last else {
            Issue.record("no reload event in \(log.all)")
            return
        }
        #expect(path == databaseURL.path)
        #expect(metadata.databaseType == "GeoLite2-City")
    }

    @Test(arguments: ["truncated", "corrupt search tree", "not a database"])
    func corruptReplacementIsRefusedAndOldDataStillServed(kind: String) throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = EventLog()
        let locator = try ReloadingGeoLocator(path: databaseURL.path, onEvent: log.record)
        let fixture = try Data(contentsOf: URL(fileURLWithPath: TestFiles.fixture))
        let replacement = switch kind {
        case "truncated": fixture.prefix(fixture.count / 2)
        case "corrupt search tree": try TestFiles.fixtureWithCorruptSearchTree()
        default: Data("<html>502 Bad Gateway</html>".utf8)
        }
        try TestFiles.atomicallyReplace(databaseURL, with: replacement)

        #expect(locator.checkForUpdate() == .rejected)
        #expect(cityOfLondonAddress(locator) == "London")
        guard case .rejected(let error)? = log.all.last else {
            Issue.record("no rejection event in \(log.all)")
            return
        }
        #expect(error.path == databaseURL.path)
        // The same bad file is not validated and reported again on every check.
        #expect(locator.checkForUpdate() == .unchanged)
        #expect(log.all.count == 1)

        // A good file after the bad one is picked up.
        try TestFiles.atomicallyReplace(databaseURL, with: try TestFiles.fixtureReplacing("London", with: "Londyn"))
        #expect(locator.checkForUpdate() == .reloaded)
        #expect(cityOfLondonAddress(locator) == "Londyn")
    }

    @Test func deletedFileKeepsTheOldDatabase() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = EventLog()
        let locator = try ReloadingGeoLocator(path: databaseURL.path, onEvent: log.record)
        try FileManager.default.removeItem(at: databaseURL)
        #expect(locator.checkForUpdate() == .fileUnavailable)
        #expect(cityOfLondonAddress(locator) == "London")
        guard case .fileUnavailable? = log.all.last else {
            Issue.record("no event in \(log.all)")
            return
        }
    }

    /// Lookups themselves start the check once the interval has passed, and only then.
    @Test func lookupsTriggerACheckWhenTheIntervalHasPassed() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock()
        let log = EventLog()
        let locator = try ReloadingGeoLocator(
            path: databaseURL.path, checkInterval: .seconds(60), now: clock.now, onEvent: log.record)
        try TestFiles.atomicallyReplace(databaseURL, with: try TestFiles.fixtureReplacing("London", with: "Londyn"))

        clock.advance(by: .seconds(59))
        #expect(cityOfLondonAddress(locator) == "London")
        try await Task.sleep(for: .milliseconds(200))
        #expect(log.all.isEmpty)

        clock.advance(by: .seconds(2))
        _ = locator.locate(london)
        let deadline = ContinuousClock.now + .seconds(10)
        while log.all.isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(cityOfLondonAddress(locator) == "Londyn")
    }

    /// Lookups running while the file is swapped all get a complete answer from one database
    /// or the other, and the old database stays usable until its last lookup ends.
    @Test func concurrentLookupsDuringSwapsAlwaysGetACompleteAnswer() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let locator = try ReloadingGeoLocator(path: databaseURL.path, cacheCapacity: 1)
        let addresses = ["81.2.69.1", "81.2.69.2", "2a02:c7c::1", "2a02:c7c::2"].compactMap(IPAddress.init)
        let variants = [try TestFiles.fixtureReplacing("London", with: "Londyn"),
                        try Data(contentsOf: URL(fileURLWithPath: TestFiles.fixture))]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for round in 0..<2_000 {
                        let result = locator.locate(addresses[(worker + round) % addresses.count])
                        #expect(["London", "Londyn"].contains(result.location?.city))
                        #expect(result.location?.postalCode == "EC1A")
                    }
                }
            }
            group.addTask {
                for swap in 0..<10 {
                    try TestFiles.atomicallyReplace(databaseURL, with: variants[swap % 2])
                    #expect(locator.checkForUpdate() == .reloaded)
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func unusableFileAtStartupIsAnError() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try TestFiles.atomicallyReplace(databaseURL, with: Data("not a database".utf8))
        #expect(throws: GeoIPDatabaseError.self) { try ReloadingGeoLocator(path: databaseURL.path) }
        #expect(throws: GeoIPDatabaseError.self) {
            try ReloadingGeoLocator(path: directory.appendingPathComponent("missing.mmdb").path)
        }
    }
}
