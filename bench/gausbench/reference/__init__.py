"""The PyTorch reference of gaus's loss and its cross-check against `gaus eval` (needs torch)."""
