"""One new request against an index of disclosed records: latency per request.

Run:  .venv/bin/python bench/match_latency.py [--disclosed 1000000] [--requests 1000]

Builds the index once (as the server keeps it), then matches requests one at a time with
`Matcher.match_one` and reports p50, p95 and p99 latency. Target: p95 < 100 ms at 1,000,000.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date

from reunite.demo.generator import stream_scenario
from reunite.matching import Matcher, Person


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--disclosed", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=31)
    args = parser.parse_args()
    stream = stream_scenario(
        seed=args.seed,
        n_children=args.disclosed,
        n_requests=max(args.requests, 1000),
        n_disclosures=args.disclosed,
        today=date(2026, 11, 25),
    )
    started = time.perf_counter()
    matcher = Matcher()
    matcher.index(Person.from_mapping(row) for row in stream.iter_disclosures())
    indexed = time.perf_counter() - started
    requests = [Person.from_mapping(row) for row in stream.iter_requests()]
    sample = random.Random(args.seed).sample(requests, args.requests)
    matcher.match_one(sample[0])  # warm the name caches as a running server would have them
    latencies = []
    for person in sample:
        begin = time.perf_counter()
        matcher.match_one(person)
        latencies.append((time.perf_counter() - begin) * 1000)
    latencies.sort()

    def at(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))]

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"index of {len(matcher):,} disclosed records built in {indexed:.0f} s")
    print(
        f"one request against it ({len(latencies):,} requests): p50 {at(0.5):.1f} ms, "
        f"p95 {at(0.95):.1f} ms, p99 {at(0.99):.1f} ms, max {latencies[-1]:.1f} ms"
    )
    print(f"peak memory {peak:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
