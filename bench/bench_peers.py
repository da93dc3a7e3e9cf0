"""Peer places over all 956 municipalities of Sweden, Norway and Finland: the time to build
the index from the loaded reference data, and a query for one municipality against all of
them (target from issue 8: at most 50 ms, the median of 200 queries).

The reference files are read first and not counted (``load_reference``, 0.1-0.25 s, is
the data's cost, paid once a process by every command that looks a place up); the queries
cycle through every municipality, so no answer is served from a warm row of a cache.

    .venv/bin/python bench/bench_peers.py [--queries 200] [--k 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import median_ms, verdict

TARGET_QUERY_MS = 50.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()

    from platsa.core.analysis.peers import peer_index
    from platsa.core.io.reference import load_reference

    start = time.perf_counter()
    _, municipalities = load_reference()
    load_ms = (time.perf_counter() - start) * 1000
    build_ms, _ = median_ms(lambda: peer_index(municipalities), 20)
    index = peer_index(municipalities)
    keys = index.keys
    calls = iter(range(10**9))

    def query() -> object:
        return index.nearest(keys[next(calls) % len(keys)], args.k)

    query()  # imports and NumPy's first calls warm
    query_ms, times = median_ms(query, args.queries)
    filtered_ms, _ = median_ms(
        lambda: index.nearest(keys[next(calls) % len(keys)], args.k, same_country=True), 50
    )
    print(f"peer places, {len(index)} municipalities x 5 facts and the SKR group")
    print(f"  reference files read once: {load_ms:.0f} ms (not part of the index)")
    print(f"  build the index (median of 20): {build_ms:.1f} ms")
    print(
        f"  nearest {args.k} over all {len(index)} (median of {args.queries}): {query_ms:.3f} ms "
        f"(p95 {statistics.quantiles(times, n=20)[-1]:.3f} ms, max {max(times):.3f} ms); "
        f"target <= {TARGET_QUERY_MS:g} ms: {verdict(query_ms, TARGET_QUERY_MS)}"
    )
    print(f"  nearest {args.k} in the same country (median of 50): {filtered_ms:.3f} ms")


if __name__ == "__main__":
    main()
