"""Exact baselines solved in the harness's own process (CP-SAT; the CBC ILP is the C++ gaus_ilp)."""
