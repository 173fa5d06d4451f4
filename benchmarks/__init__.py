"""Benchmarks: what a build costs as the course grows, beside the tools people would use instead.

``python -m benchmarks --modules 40,200,800`` generates deterministic synthetic curricula
(:mod:`benchmarks.synth`), runs every pipeline stage of ``cda`` on each in a fresh
subprocess (:mod:`benchmarks.measure`), runs the comparisons side by side in the same
invocation (:mod:`benchmarks.drivers`), prints Markdown tables and writes JSON
(:mod:`benchmarks.run`, :mod:`benchmarks.report`).

Not a timed test: ``tests/test_benchmarks.py`` only checks that it runs on a tiny size.
"""
