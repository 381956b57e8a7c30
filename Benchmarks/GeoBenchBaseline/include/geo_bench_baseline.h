#ifndef GEO_BENCH_BASELINE_H
#define GEO_BENCH_BASELINE_H

#include <stddef.h>
#include <stdint.h>

/// The plain C loop GeoBench compares the GeoIP module against: same database, same
/// addresses, same fields read the same way (each top-level map found once, its fields read
/// from it), with no Swift in between.
typedef struct geo_baseline geo_baseline;

/// Opens the database; NULL on failure.
geo_baseline *geo_baseline_open(const char *path);
void geo_baseline_close(geo_baseline *baseline);

/// Looks up `count` addresses, each 16 bytes at `addresses + 16 * i` with `is_ipv4[i]` telling
/// whether only the last 4 bytes are meant. Returns a checksum of what was read (found records,
/// string lengths, numbers) so the compiler cannot drop the work.
uint64_t geo_baseline_lookup_all(geo_baseline *baseline, const uint8_t *addresses, const uint8_t *is_ipv4,
                                 size_t count);

/// The same, but producing what `GeoIPDatabase.lookup` produces: each record's fields copied into
/// a result that owns them (every string malloc'ed and copied, doubles and floats read as
/// doubles), folded into the same checksum, then freed. This is the like-for-like comparison
/// for the Swift side, which must build owned `String`s; `geo_baseline_lookup_all` only reads.
uint64_t geo_baseline_lookup_all_copying(geo_baseline *baseline, const uint8_t *addresses, const uint8_t *is_ipv4,
                                         size_t count);

/// `madvise(MADV_RANDOM)` over the database's memory map (no readahead): 0 on success.
int geo_baseline_advise_random(geo_baseline *baseline);

#endif
