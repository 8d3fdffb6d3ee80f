#!/usr/bin/env python3
"""The PyTorch reference of the loss, timed: gausbench.reference.torch_loss (bench/README.md)."""
import sys

from gausbench.reference.torch_loss import main

if __name__ == "__main__":
    sys.exit(main())
