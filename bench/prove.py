#!/usr/bin/env python3
"""The exact prover on EXPRESS, warm against cold: gausbench.prove_study (docs/benchmarks.md)."""
import sys

from gausbench.prove_study import main

if __name__ == "__main__":
    sys.exit(main())
