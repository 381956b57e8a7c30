#ifndef AUDITLEDGER_WAL_BUFFER_H
#define AUDITLEDGER_WAL_BUFFER_H

#include <sqlite3.h>

/// The name of the VFS that `auditledger_wal_buffer_register` adds: the platform's default VFS,
/// with each write-ahead log's frames collected in memory and written in runs of up to 120 KiB.
#define AUDITLEDGER_WAL_BUFFER_VFS "auditledger-wal-buffer"

/// Registers the VFS (not as the default). Safe to call from any thread, any number of times;
/// returns SQLITE_OK, or SQLite's error code if it could not be registered.
int auditledger_wal_buffer_register(void);

/// For a WAL file opened through the VFS (SQLITE_FCNTL_JOURNAL_POINTER gives a connection's):
/// how many writes SQLite asked for and how many reached the file. Returns 0 for any other file.
int auditledger_wal_buffer_counts(sqlite3_file *file, long long *requestedWrites, long long *fileWrites);

#endif
