#!/usr/bin/env python3
"""The benchmark driver: gausbench.run (bench/README.md)."""
import sys

from gausbench.run import main

if __name__ == "__main__":
    sys.exit(main())
