extension WebAssets {
    /// `/assets/icon.svg`, the favicon.
    static let iconSVG = #"""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="2" y="2" width="20" height="20" rx="5" fill="#1d4ed8"/><path d="M7 8h10M7 12h10M7 16h6" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>
        """#
}
