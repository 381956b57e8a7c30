import CMaxMindDB
import LedgerCore

/// Checks an opened database deeply enough that a broken search tree or data section is found
/// at startup rather than by the first unlucky lookup.
///
/// libmaxminddb's `MMDB_open` only decodes the metadata; it trusts the tree and the data. So:
/// every search-tree record is range-checked and checked not to lead back to the root (a linear scan, O(nodes), ~4M for GeoLite2-City),
/// the data records of a spread sample of nodes (all of them for small databases) are fully
/// decoded with strings checked as UTF-8 and read as City records, and a few addresses of
/// both families are looked up through the normal path.
struct GeoIPDatabaseValidator {
    let handle: UnsafeMutablePointer<MMDB_s>
    let path: String
    let requireCity: Bool

    /// Above this many nodes only every n-th node's data records are decoded, keeping
    /// startup under a second for full-size databases.
    static let decodedNodeBudget = 20_000
    /// Far enough in the future that any build epoch beyond it is corruption, not a date.
    static let latestPlausibleBuildEpoch: UInt64 = 253_402_300_799  // 9999-12-31T23:59:59Z
    static let probeAddresses = ["1.1.1.1", "8.8.8.8", "81.2.69.142", "2001:4860:4860::8888", "2a02:cf40::1"]
        .compactMap { IPAddress($0) }

    func validate() throws(GeoIPDatabaseError) -> GeoIPMetadata {
        let metadata = try validateMetadata()
        try validateSearchTreeAndData(nodeCount: metadata.nodeCount)
        try probe()
        return metadata
    }

    private func validateMetadata() throws(GeoIPDatabaseError) -> GeoIPMetadata {
        let raw = handle.pointee.metadata
        func invalid(_ reason: String) -> GeoIPDatabaseError { .invalidMetadata(path: path, reason: reason) }
        guard raw.binary_format_major_version == 2 else {
            throw invalid("binary format version \(raw.binary_format_major_version), expected 2")
        }
        guard raw.ip_version == 4 || raw.ip_version == 6 else { throw invalid("ip_version \(raw.ip_version)") }
        guard [24, 28, 32].contains(raw.record_size) else { throw invalid("record_size \(raw.record_size)") }
        guard raw.node_count > 0 else { throw invalid("node_count is 0") }
        guard raw.build_epoch <= Self.latestPlausibleBuildEpoch else {
            throw invalid("build_epoch \(raw.build_epoch) is not a plausible date")
        }
        guard let typePointer = raw.database_type,
              let databaseType = String(validatingCString: typePointer), !databaseType.isEmpty else {
            throw invalid("database_type is missing or not UTF-8")
        }
        if requireCity && !databaseType.contains("City") {
            throw .notACityDatabase(path: path, databaseType: databaseType)
        }
        return GeoIPMetadata(
            databaseType: databaseType, buildEpoch: raw.build_epoch, ipVersion: Int(raw.ip_version),
            nodeCount: Int(raw.node_count), recordSize: Int(raw.record_size))
    }

    private func validateSearchTreeAndData(nodeCount: Int) throws(GeoIPDatabaseError) {
        let dataSectionSize = UInt64(handle.pointee.data_section_size)
        let decodeStride = max(1, nodeCount / Self.decodedNodeBudget)
        var node = MMDB_search_node_s()
        for nodeNumber in 0..<nodeCount {
            let status = MMDB_read_node(handle, UInt32(nodeNumber), &node)
            guard status == MMDB_SUCCESS else {
                throw .corruptSearchTree(path: path, reason: "node \(nodeNumber): \(String(cString: MMDB_strerror(status)))")
            }
            for record in [node.left_record, node.right_record] {
                guard let dataOffset = try dataOffset(
                    of: record, nodeNumber: nodeNumber, nodeCount: UInt64(nodeCount), dataSectionSize: dataSectionSize)
                else { continue }
                if nodeNumber % decodeStride == 0 {
                    try decode(MMDB_entry_s(mmdb: handle, offset: dataOffset))
                }
            }
        }
    }

    /// The data-section offset a record points to, nil for a child node or "no data", and an
    /// error for anything else. libmaxminddb itself would treat values in the 16-byte separator
    /// as data and compute a negative offset, which is why this check is not left to it.
    /// No record may point at node 0: the root is never anyone's child, and a record that leads
    /// back to it makes a cycle (lookups stay bounded by the address length, but answer garbage).
    private func dataOffset(
        of record: UInt64, nodeNumber: Int, nodeCount: UInt64, dataSectionSize: UInt64
    ) throws(GeoIPDatabaseError) -> UInt32? {
        if record == 0 {
            throw .corruptSearchTree(path: path, reason: "node \(nodeNumber) points back to the root node")
        }
        if record <= nodeCount { return nil }
        let separator: UInt64 = 16
        guard record >= nodeCount + separator, record - nodeCount - separator < dataSectionSize else {
            throw .corruptSearchTree(
                path: path,
                reason: "node \(nodeNumber) has record \(record), outside the tree (\(nodeCount) nodes) and the data section (\(dataSectionSize) bytes)")
        }
        return UInt32(record - nodeCount - separator)
    }

    private func decode(_ entry: MMDB_entry_s) throws(GeoIPDatabaseError) {
        var start = entry
        var list: UnsafeMutablePointer<MMDB_entry_data_list_s>? = nil
        let status = MMDB_get_entry_data_list(&start, &list)
        defer { MMDB_free_entry_data_list(list) }
        guard status == MMDB_SUCCESS else {
            throw .corruptData(path: path, reason: "record at offset \(entry.offset): \(String(cString: MMDB_strerror(status)))")
        }
        var current = list
        while let item = current {
            let data = item.pointee.entry_data
            if data.type == UInt32(MMDB_DATA_TYPE_UTF8_STRING) {
                let bytes = UnsafeRawBufferPointer(start: data.utf8_string, count: Int(data.data_size))
                guard String(validating: bytes, as: UTF8.self) != nil else {
                    throw .corruptData(path: path, reason: "record at offset \(entry.offset) has a string that is not UTF-8")
                }
            }
            current = item.pointee.next
        }
        if requireCity {
            do {
                _ = try CityRecordReader(handle).read(offset: entry.offset, databaseType: nil, databaseBuildEpoch: nil)
            } catch {
                throw .corruptData(path: path, reason: "record at offset \(entry.offset): \(error.reason)")
            }
        }
    }

    private func probe() throws(GeoIPDatabaseError) {
        for address in Self.probeAddresses {
            var lookupError: Int32 = MMDB_SUCCESS
            let result = address.withSocketAddress { MMDB_lookup_sockaddr(handle, $0, &lookupError) }
            guard lookupError == MMDB_SUCCESS || lookupError == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR else {
                throw .corruptSearchTree(path: path, reason: "looking up \(address): \(String(cString: MMDB_strerror(lookupError)))")
            }
            if result.found_entry { try decode(result.entry) }
        }
    }
}
