// gaus._gaus: the native half of the Python package gaus (python/gaus/__init__.py is the API).
#include <nanobind/nanobind.h>

#include "python/src/bindings.hpp"

NB_MODULE(_gaus, m) {
  m.doc() = "Native core of the gaus package; use the functions of `gaus` instead.";
  m.attr("__version__") = GAUS_PY_VERSION;
  m.attr("cuda_built") = static_cast<bool>(GAUS_PY_CUDA);
  gaus::py::bind_errors(m);
  gaus::py::bind_problem(m);
  gaus::py::bind_solve(m);
  gaus::py::bind_heuristics(m);
}
