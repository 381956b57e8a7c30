#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMaxMindDB

/// A lookup path (`["names", "en"]`) as the NULL-terminated C string array `MMDB_aget_value`
/// wants, built once so the lookup hot path allocates nothing for paths.
///
/// `@unchecked Sendable`: the C strings are written once in `init`, never mutated, and never
/// freed (instances are static constants that live as long as the process).
final class MaxMindPath: @unchecked Sendable {
    let elements: UnsafeMutablePointer<UnsafePointer<CChar>?>

    init(_ components: String...) {
        elements = .allocate(capacity: components.count + 1)
        for (index, component) in components.enumerated() {
            elements[index] = UnsafePointer(strdup(component))
        }
        elements[components.count] = nil
    }

    static let continent = MaxMindPath("continent")
    static let country = MaxMindPath("country")
    static let firstSubdivision = MaxMindPath("subdivisions", "0")
    static let city = MaxMindPath("city")
    static let postal = MaxMindPath("postal")
    static let location = MaxMindPath("location")
    static let code = MaxMindPath("code")
    static let isoCode = MaxMindPath("iso_code")
    static let englishName = MaxMindPath("names", "en")
    static let latitude = MaxMindPath("latitude")
    static let longitude = MaxMindPath("longitude")
    static let accuracyRadius = MaxMindPath("accuracy_radius")
    static let timeZone = MaxMindPath("time_zone")
}
