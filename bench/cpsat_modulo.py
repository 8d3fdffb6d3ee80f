#!/usr/bin/env python3
"""The CP-SAT baseline of formulation C, its schedule written as JSON:
gausbench.baselines.cpsat_modulo (bench/README.md)."""
import sys

from gausbench.baselines.cpsat_modulo import main

if __name__ == "__main__":
    sys.exit(main())
