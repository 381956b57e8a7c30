/// Decides the geo status of an event's address at ingest, and asks the locator only when a
/// lookup can mean something: no address, a special-purpose address and no configured
/// database are answered here without touching a database.
///
/// Sendable because it only holds a `GeoLocating`, which is itself required to be Sendable.
public struct GeoEnricher: Sendable {
    private let locator: (any GeoLocating)?

    public init(locator: (any GeoLocating)?) {
        self.locator = locator
    }

    public func enrich(_ ip: IPAddress?) -> GeoResult {
        guard let ip else { return GeoResult(status: .noIP) }
        if ip.specialPurpose != nil { return GeoResult(status: .private) }
        guard let locator else { return GeoResult(status: .noDatabase) }
        return locator.locate(ip)
    }
}
