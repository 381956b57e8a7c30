#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Enough of `stat(2)` to tell that a path now names a different file. `geoipupdate` replaces
/// the database by renaming a new file over it, which changes the inode; an in-place rewrite
/// changes the size or the modification time.
struct FileIdentity: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int64
    let modifiedNanoseconds: Int64

    /// Throws the `strerror` text when the path cannot be examined.
    init(path: String) throws(FileIdentityError) {
        var status = stat()
        guard stat(path, &status) == 0 else { throw FileIdentityError(reason: String(cString: strerror(errno))) }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        #if canImport(Darwin)
        modifiedSeconds = Int64(status.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int64(status.st_mtimespec.tv_nsec)
        #else
        modifiedSeconds = Int64(status.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(status.st_mtim.tv_nsec)
        #endif
    }
}

struct FileIdentityError: Error {
    let reason: String
}
