#!/usr/bin/env python3
"""One CP-SAT solve, its schedule written as JSON: gausbench.baselines.cpsat (bench/README.md)."""
import sys

from gausbench.baselines.cpsat import main

if __name__ == "__main__":
    sys.exit(main())
