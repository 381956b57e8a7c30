#!/usr/bin/env python3
"""Hit rate of a least-recently-used geo cache of each size over the addresses of a stream of events.

    python3 Benchmarks/LedgerBench/geo_cache_hits.py bench-data/http-singles.ndjson [--events 350000] [--sizes 100000,16384,4096]

The server's cache (GeoIP's GeoLookupCache) is 16 LRU shards; one LRU of the same total size is
close to it for addresses that spread evenly over the shards. 350,000 events is about what a
15-second batch phase of scripts/bench-http sends.
"""
import argparse
import json
from collections import OrderedDict


def hit_rate(addresses, capacity):
    cache, hits = OrderedDict(), 0
    for address in addresses:
        if address in cache:
            hits += 1
            cache.move_to_end(address)
        else:
            cache[address] = None
            if len(cache) > capacity:
                cache.popitem(last=False)
    return hits / len(addresses)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("events", help="NDJSON events, one per line (LedgerBench ndjson)")
    parser.add_argument("--events", dest="count", type=int, default=350_000)
    parser.add_argument("--sizes", default="100000,16384,4096")
    args = parser.parse_args()
    with open(args.events) as lines:
        addresses = [json.loads(line).get("ip") for _, line in zip(range(args.count), lines)]
    addresses = [address for address in addresses if address]
    print(f"{len(addresses):,} addresses, {len(set(addresses)):,} distinct")
    for size in (int(size) for size in args.sizes.split(",")):
        print(f"{size:>9,} entries: hit rate {hit_rate(addresses, size):.3f}")


if __name__ == "__main__":
    main()
