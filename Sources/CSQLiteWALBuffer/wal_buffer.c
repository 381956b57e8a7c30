// A VFS that is the platform's default one, except that a write-ahead log's frames are collected
// in memory and reach the file in a few large writes per commit instead of two per frame.
//
// Why: SQLite writes each WAL frame with two calls, its 24-byte header and then the page, so a
// frame of 4,120 bytes is three partial-page writes for the kernel. On ext4 each partial write into
// a page the file has not yet used zeroes the rest of that page first; in the batch phase of B2 the
// WAL's writes were a third of the writer's CPU and the zeroing alone 45% of that
// (Benchmarks/PROFILES.md, "The WAL's writes, one call per commit").
//
// What SQLite can observe stays the same. Frames are only ever appended, so the buffer holds one
// contiguous run of bytes and is written out, in order, before anything could look at the file:
// before a read, a size query, a truncation, a sync, a close, and a write anywhere but at the
// buffer's end. And right after the page of a commit frame, whatever the synchronous setting: a
// commit becomes visible to other connections only when SQLite then updates the wal-index, and by
// then the file holds the commit's frames, as it would without the buffer. A failed write returns
// its error from the call that triggered it, which is at the latest the commit, so the commit fails.
// Database files and every other file are the default VFS's own, untouched.
#include "wal_buffer.h"

#include <pthread.h>
#include <sqlite3.h>
#include <string.h>

enum {
    /// The unix VFS writes at most 128 KiB - 1 bytes per call (`seekAndWriteFd` masks the length
    /// with 0x1ffff, and a longer write comes back short, as SQLITE_FULL). 120 KiB is 29 frames of
    /// 4 KiB pages, so a commit's frames go in a few large writes with one partial page each.
    BUFFER_CAPACITY = 120 << 10,
    WAL_HEADER_SIZE = 32,
    FRAME_HEADER_SIZE = 24,
};

typedef struct BufferedFile {
    sqlite3_file base;
    /// The default VFS's file, in the bytes that follow this struct.
    sqlite3_file *real;
    unsigned char *buffer;
    int length;
    /// The file offset of buffer[0].
    sqlite3_int64 start;
    /// The last write was the header of a commit frame: flush after its page.
    int commitPageNext;
    /// Writes SQLite asked for, and writes made to the file (for tests).
    long long requestedWrites;
    long long fileWrites;
} BufferedFile;

static sqlite3_vfs *underlying;
static sqlite3_vfs bufferVFS;
static sqlite3_io_methods bufferedMethods;
static int registerStatus = SQLITE_ERROR;
static pthread_once_t registerOnce = PTHREAD_ONCE_INIT;

static int writeThrough(BufferedFile *file, const void *data, int amount, sqlite3_int64 offset) {
    file->fileWrites += 1;
    return file->real->pMethods->xWrite(file->real, data, amount, offset);
}

static int flush(BufferedFile *file) {
    if (file->length == 0) return SQLITE_OK;
    int length = file->length;
    file->length = 0;
    return writeThrough(file, file->buffer, length, file->start);
}

static int bufferedClose(sqlite3_file *handle) {
    BufferedFile *file = (BufferedFile *)handle;
    int flushed = flush(file);
    int closed = file->real->pMethods->xClose(file->real);
    sqlite3_free(file->buffer);
    file->buffer = NULL;
    return flushed != SQLITE_OK ? flushed : closed;
}

static int bufferedRead(sqlite3_file *handle, void *data, int amount, sqlite3_int64 offset) {
    BufferedFile *file = (BufferedFile *)handle;
    int rc = flush(file);
    if (rc != SQLITE_OK) return rc;
    return file->real->pMethods->xRead(file->real, data, amount, offset);
}

/// A frame header's bytes 4-7 hold the database size after a commit, and zero in other frames.
static int isCommitFrameHeader(const unsigned char *bytes, int amount, sqlite3_int64 offset) {
    return amount == FRAME_HEADER_SIZE && offset >= WAL_HEADER_SIZE
        && (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
}

static int bufferedWrite(sqlite3_file *handle, const void *data, int amount, sqlite3_int64 offset) {
    BufferedFile *file = (BufferedFile *)handle;
    file->requestedWrites += 1;
    int commitPage = file->commitPageNext;
    file->commitPageNext = isCommitFrameHeader((const unsigned char *)data, amount, offset);
    int rc = SQLITE_OK;
    if (file->length > 0 && (offset != file->start + file->length || file->length + amount > BUFFER_CAPACITY)) {
        rc = flush(file);
        if (rc != SQLITE_OK) return rc;
    }
    if (file->buffer == NULL && amount <= BUFFER_CAPACITY) file->buffer = sqlite3_malloc(BUFFER_CAPACITY);
    if (file->buffer == NULL || amount > BUFFER_CAPACITY) {
        rc = writeThrough(file, data, amount, offset);
    } else {
        if (file->length == 0) file->start = offset;
        memcpy(file->buffer + file->length, data, (size_t)amount);
        file->length += amount;
    }
    if (rc == SQLITE_OK && commitPage) rc = flush(file);
    return rc;
}

static int bufferedTruncate(sqlite3_file *handle, sqlite3_int64 size) {
    BufferedFile *file = (BufferedFile *)handle;
    int rc = flush(file);
    return rc != SQLITE_OK ? rc : file->real->pMethods->xTruncate(file->real, size);
}

static int bufferedSync(sqlite3_file *handle, int flags) {
    BufferedFile *file = (BufferedFile *)handle;
    int rc = flush(file);
    return rc != SQLITE_OK ? rc : file->real->pMethods->xSync(file->real, flags);
}

static int bufferedFileSize(sqlite3_file *handle, sqlite3_int64 *size) {
    BufferedFile *file = (BufferedFile *)handle;
    int rc = flush(file);
    return rc != SQLITE_OK ? rc : file->real->pMethods->xFileSize(file->real, size);
}

static int bufferedLock(sqlite3_file *handle, int level) {
    BufferedFile *file = (BufferedFile *)handle;
    return file->real->pMethods->xLock(file->real, level);
}

static int bufferedUnlock(sqlite3_file *handle, int level) {
    BufferedFile *file = (BufferedFile *)handle;
    return file->real->pMethods->xUnlock(file->real, level);
}

static int bufferedCheckReservedLock(sqlite3_file *handle, int *reserved) {
    BufferedFile *file = (BufferedFile *)handle;
    return file->real->pMethods->xCheckReservedLock(file->real, reserved);
}

static int bufferedFileControl(sqlite3_file *handle, int op, void *argument) {
    BufferedFile *file = (BufferedFile *)handle;
    return file->real->pMethods->xFileControl(file->real, op, argument);
}

static int bufferedSectorSize(sqlite3_file *handle) {
    BufferedFile *file = (BufferedFile *)handle;
    return file->real->pMethods->xSectorSize(file->real);
}

static int bufferedDeviceCharacteristics(sqlite3_file *handle) {
    BufferedFile *file = (BufferedFile *)handle;
    return file->real->pMethods->xDeviceCharacteristics(file->real);
}

static int bufferedOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *handle, int flags, int *outFlags) {
    (void)vfs;
    // Any other file is the default VFS's own: it fills in the handle with its own methods.
    if (!(flags & SQLITE_OPEN_WAL)) return underlying->xOpen(underlying, name, handle, flags, outFlags);
    BufferedFile *file = (BufferedFile *)handle;
    memset(file, 0, sizeof *file);
    file->real = (sqlite3_file *)(file + 1);
    int rc = underlying->xOpen(underlying, name, file->real, flags, outFlags);
    if (rc != SQLITE_OK) {
        if (file->real->pMethods != NULL) file->real->pMethods->xClose(file->real);
        handle->pMethods = NULL;
        return rc;
    }
    handle->pMethods = &bufferedMethods;
    return SQLITE_OK;
}

static void registerVFS(void) {
    underlying = sqlite3_vfs_find(NULL);
    if (underlying == NULL) return;

    bufferedMethods = (sqlite3_io_methods){
        .iVersion = 1,
        .xClose = bufferedClose,
        .xRead = bufferedRead,
        .xWrite = bufferedWrite,
        .xTruncate = bufferedTruncate,
        .xSync = bufferedSync,
        .xFileSize = bufferedFileSize,
        .xLock = bufferedLock,
        .xUnlock = bufferedUnlock,
        .xCheckReservedLock = bufferedCheckReservedLock,
        .xFileControl = bufferedFileControl,
        .xSectorSize = bufferedSectorSize,
        .xDeviceCharacteristics = bufferedDeviceCharacteristics,
    };
    // Every method but xOpen is the default VFS's own. SQLite calls them with this struct, and
    // the default VFS keeps its state in pAppData, copied with them (bufferedOpen calls the
    // default xOpen with its own struct all the same).
    bufferVFS = *underlying;
    bufferVFS.pNext = NULL;
    bufferVFS.szOsFile = (int)sizeof(BufferedFile) + underlying->szOsFile;
    bufferVFS.zName = AUDITLEDGER_WAL_BUFFER_VFS;
    bufferVFS.xOpen = bufferedOpen;
    registerStatus = sqlite3_vfs_register(&bufferVFS, 0);
}

int auditledger_wal_buffer_register(void) {
    pthread_once(&registerOnce, registerVFS);
    return registerStatus;
}

int auditledger_wal_buffer_counts(sqlite3_file *handle, long long *requestedWrites, long long *fileWrites) {
    if (handle == NULL || handle->pMethods != &bufferedMethods) return 0;
    BufferedFile *file = (BufferedFile *)handle;
    *requestedWrites = file->requestedWrites;
    *fileWrites = file->fileWrites;
    return 1;
}
