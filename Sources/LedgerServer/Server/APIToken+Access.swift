import LedgerCore
import LedgerStore

extension APIToken {
    /// The account a request is about: a bound token's own (naming another is a 403), or for
    /// a `*` token the one the request names, which it must.
    func account(requested: String?) throws(APIError) -> String {
        if isBoundToOneAccount {
            guard requested == nil || requested == account else { throw APIError.forbidden }
            return account
        }
        guard let requested else { throw APIError.invalidParameter("account", "is required for a token not bound to one account") }
        guard EventRules.isValidAccount(requested) else {
            throw APIError.invalidParameter("account", "must match [a-z0-9][a-z0-9_.-]{0,63}")
        }
        return requested
    }
}
