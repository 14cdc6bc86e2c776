"""Benchmark: `advisor bench` measures latency, throughput, start-up, memory, builds and scale in one run."""
