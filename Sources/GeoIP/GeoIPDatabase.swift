#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMaxMindDB
import LedgerCore

/// One opened MaxMind DB City file (GeoIP2-City, GeoLite2-City or a compatible one such as the
/// project's fixture), validated when opened so that a corrupt file fails at startup.
///
/// `@unchecked Sendable`: libmaxminddb documents lookups on one `MMDB_s` as safe from many
/// threads at once (the file is a read-only memory map and lookups keep no state in it).
/// The handle is written only in `init` and closed only in `deinit`, which runs once the last
/// reference (including any lookup still running on a replaced database) is gone.
public final class GeoIPDatabase: GeoLocating, @unchecked Sendable {
    public let path: String
    public let metadata: GeoIPMetadata
    private let handle: UnsafeMutablePointer<MMDB_s>
    private let reader: CityRecordReader

    /// Opens and validates `path`. With `requireCity` (the default) a database whose type is not
    /// a City one is refused, because its records would not carry the fields the ledger stores.
    public init(path: String, requireCity: Bool = true) throws(GeoIPDatabaseError) {
        let handle = UnsafeMutablePointer<MMDB_s>.allocate(capacity: 1)
        handle.initialize(to: MMDB_s())
        let status = MMDB_open(path, UInt32(MMDB_MODE_MMAP), handle)
        guard status == MMDB_SUCCESS else {
            var reason = String(cString: MMDB_strerror(status))
            if status == MMDB_IO_ERROR || status == MMDB_FILE_OPEN_ERROR {
                reason += " (\(String(cString: strerror(errno))))"
            }
            handle.deallocate()
            throw .cannotOpen(path: path, reason: reason)
        }
        do {
            let validator = GeoIPDatabaseValidator(handle: handle, path: path, requireCity: requireCity)
            self.metadata = try validator.validate()
        } catch {
            MMDB_close(handle)
            handle.deallocate()
            throw error
        }
        self.path = path
        self.handle = handle
        self.reader = CityRecordReader(handle)
        Self.releaseValidatedPages(handle)
    }

    /// Validation read every page of the file, which left all of it (60 MiB for GeoLite2-City)
    /// in the process's resident set. The mapping is a read-only view of the file, so dropping
    /// those pages loses nothing: lookups fault back in, from the page cache, only the pages they
    /// touch, and the server's RSS shows its working set rather than the whole file.
    private static func releaseValidatedPages(_ handle: UnsafeMutablePointer<MMDB_s>) {
        guard let start = handle.pointee.file_content, handle.pointee.file_size > 0 else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: start), Int(handle.pointee.file_size), MADV_DONTNEED)
    }

    deinit {
        MMDB_close(handle)
        handle.deallocate()
    }

    /// The location the database has for `address`, or nil when it has no record (including an
    /// IPv6 address asked of an IPv4-only database). Throws only when the record is corrupt.
    public func lookup(_ address: IPAddress) throws(GeoIPDatabaseError) -> GeoLocation? {
        var lookupError: Int32 = MMDB_SUCCESS
        let result = address.withSocketAddress { MMDB_lookup_sockaddr(handle, $0, &lookupError) }
        switch lookupError {
        case MMDB_SUCCESS: break
        case MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR: return nil
        default: throw .corruptSearchTree(path: path, reason: String(cString: MMDB_strerror(lookupError)))
        }
        guard result.found_entry else { return nil }
        do {
            return try reader.read(
                offset: result.entry.offset, databaseType: metadata.databaseType, databaseBuildEpoch: metadata.buildEpoch)
        } catch {
            throw .corruptData(path: path, reason: "record for \(address): \(error.reason)")
        }
    }

    /// A corrupt record is reported as not found: ingest must go on, and validation at open
    /// makes this rare. `ReloadingGeoLocator` reports such failures through its event callback.
    public func locate(_ address: IPAddress) -> GeoResult {
        guard let location = try? lookup(address) else { return GeoResult(status: .notFound) }
        return GeoResult(status: .ok, location: location)
    }
}

extension IPAddress {
    /// Calls `body` with this address as a `sockaddr_in` or `sockaddr_in6` on the stack, so a
    /// parsed address is looked up without formatting and re-parsing text.
    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>) -> Result) -> Result {
        if isIPv4 {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            withUnsafeMutableBytes(of: &socketAddress.sin_addr) { $0.copyBytes(from: bytes) }
            return withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
            }
        }
        var socketAddress = sockaddr_in6()
        socketAddress.sin6_family = sa_family_t(AF_INET6)
        withUnsafeMutableBytes(of: &socketAddress.sin6_addr) { $0.copyBytes(from: bytes) }
        return withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
        }
    }
}
