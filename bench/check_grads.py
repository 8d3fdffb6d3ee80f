#!/usr/bin/env python3
"""gaus's loss against the PyTorch reference: gausbench.reference.check_grads (bench/README.md)."""
import sys

from gausbench.reference.check_grads import main

if __name__ == "__main__":
    sys.exit(main())
