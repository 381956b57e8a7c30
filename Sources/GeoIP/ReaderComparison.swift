import CMaxMindDB
import LedgerCore

/// Test support: holds the single-pass `CityRecordReader` to the `MMDB_aget_value` reference
/// `PathCityRecordReader` on every data record a database's search tree points to.
///
/// The file is opened with libmaxminddb alone, without `GeoIPDatabaseValidator`, so that corrupt
/// and fuzzed files reach the readers too. Two outcomes agree when both readers return the same
/// location, or both fail.
enum ReaderComparison {
    struct Mismatch: CustomStringConvertible {
        let offset: UInt32
        let singlePass: String
        let reference: String
        /// The single-pass reader refused nesting deeper than libmaxminddb's own limit
        /// (MAXIMUM_DATA_STRUCTURE_DEPTH, enforced by libmaxminddb releases after 1.7.1), where
        /// an older libmaxminddb recurses without limit.
        let isNestingLimit: Bool
        var description: String { "record at \(offset): single pass \(singlePass), aget \(reference)" }
    }

    struct Report {
        var records = 0
        var failures = 0
        var mismatches: [Mismatch] = []
    }

    /// nil when libmaxminddb cannot open the file at all.
    static func compare(path: String, maximumRecords: Int = 100_000) -> Report? {
        let handle = UnsafeMutablePointer<MMDB_s>.allocate(capacity: 1)
        handle.initialize(to: MMDB_s())
        defer { handle.deallocate() }
        guard MMDB_open(path, UInt32(MMDB_MODE_MMAP), handle) == MMDB_SUCCESS else { return nil }
        defer { MMDB_close(handle) }

        let reader = CityRecordReader(handle)
        var report = Report()
        var seen = Set<UInt32>()
        var node = MMDB_search_node_s()
        for nodeNumber in 0..<handle.pointee.metadata.node_count where report.records < maximumRecords {
            guard MMDB_read_node(handle, nodeNumber, &node) == MMDB_SUCCESS else { continue }
            for (type, entry) in [(node.left_record_type, node.left_record_entry), (node.right_record_type, node.right_record_entry)]
            where type == UInt8(MMDB_RECORD_TYPE_DATA) && seen.insert(entry.offset).inserted {
                report.records += 1
                // nil stands for "failed": a record that reads always gives a location.
                var singlePassError: CityRecordReader.DecodeError?
                let singlePass: GeoLocation?
                do {
                    singlePass = try reader.read(offset: entry.offset, databaseType: nil, databaseBuildEpoch: nil)
                } catch {
                    singlePass = nil
                    singlePassError = error
                }
                let reference = try? PathCityRecordReader.read(MMDB_entry_s(mmdb: handle, offset: entry.offset))
                if reference == nil { report.failures += 1 }
                if singlePass != reference {
                    report.mismatches.append(Mismatch(
                        offset: entry.offset, singlePass: singlePass.map { "\($0)" } ?? "error: \(singlePassError!.reason)",
                        reference: reference.map { "\($0)" } ?? "error",
                        isNestingLimit: singlePassError?.isNestingLimit == true))
                }
            }
        }
        return report
    }
}
