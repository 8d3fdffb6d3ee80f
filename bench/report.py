#!/usr/bin/env python3
"""The benchmark results section, from run folders: gausbench.report (bench/README.md)."""
import sys

from gausbench.report import main

if __name__ == "__main__":
    sys.exit(main())
