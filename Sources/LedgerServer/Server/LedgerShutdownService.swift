import LedgerStore
import Logging
import ServiceLifecycle

/// Closes the ledger when the service group shuts down: the writer refuses new appends,
/// commits what is queued, and releases the database. Registered before the HTTP server so
/// that it runs after the server has finished its in-flight requests.
struct LedgerShutdownService: Service {
    let ledger: any LedgerRepository
    let logger: Logger

    func run() async throws {
        // Wait for shutdown (or cancellation) without holding anything.
        try? await gracefulShutdown()
        logger.info("closing the ledger")
        await ledger.close()
        logger.info("ledger closed")
    }
}
