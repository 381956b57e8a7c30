/// A block from the IANA IPv4/IPv6 Special-Purpose Address Registries (plus multicast, the
/// limited broadcast address and IPv6 space outside global unicast), whose addresses never
/// identify where a client is. Enrichment marks them `private` instead of looking them up:
/// a database would either have no record or, worse, a misleading one.
public enum SpecialPurposeRange: String, Hashable, Sendable, CaseIterable {
    case unspecified
    case thisNetwork
    case privateUse
    case sharedAddressSpace
    case loopback
    case linkLocal
    case ietfProtocolAssignments
    case documentation
    case as112
    case automaticMulticastTunneling
    case sixToFourRelayAnycast
    case benchmarking
    case reserved
    case limitedBroadcast
    case multicast
    case ipv4IPv6Translation
    case discardOnly
    case teredo
    case uniqueLocal
    case segmentRouting

    /// The registry's own name for the block, for logs and the CLI.
    public var name: String {
        switch self {
        case .unspecified: "Unspecified Address"
        case .thisNetwork: "This network"
        case .privateUse: "Private-Use"
        case .sharedAddressSpace: "Shared Address Space (CGNAT)"
        case .loopback: "Loopback"
        case .linkLocal: "Link-Local"
        case .ietfProtocolAssignments: "IETF Protocol Assignments"
        case .documentation: "Documentation"
        case .as112: "AS112 DNS"
        case .automaticMulticastTunneling: "AMT"
        case .sixToFourRelayAnycast: "Deprecated (6to4 Relay Anycast)"
        case .benchmarking: "Benchmarking"
        case .reserved: "Reserved"
        case .limitedBroadcast: "Limited Broadcast"
        case .multicast: "Multicast"
        case .ipv4IPv6Translation: "IPv4-IPv6 Translation"
        case .discardOnly: "Discard-Only Address Block"
        case .teredo: "TEREDO"
        case .uniqueLocal: "Unique-Local"
        case .segmentRouting: "Segment Routing (SRv6) SIDs"
        }
    }
}
