#!/usr/bin/env python3
"""PNG plots of a benchmark run: gausbench.plots (bench/README.md)."""
import sys

from gausbench.plots import main

if __name__ == "__main__":
    sys.exit(main())
