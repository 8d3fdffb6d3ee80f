// Exception translation: the messages of gaus errors pass through unchanged (they name the
// file, line and op at fault).
#include <Python.h>

#include "core/error.hpp"
#include "python/src/bindings.hpp"

namespace nb = nanobind;

namespace gaus::py {

void bind_errors(nb::module_& m) {
  // Created once per process and never freed: the translator below refers to it at any time.
  static PyObject* infeasible = PyErr_NewExceptionWithDoc(
      "gaus.InfeasibleError",
      "No schedule exists under the requested horizon or II (a horizon below the critical "
      "path, an II below its recurrence or resource bound, a unit class with limit 0 that an "
      "op needs). A subclass of ValueError.",
      PyExc_ValueError, nullptr);
  if (infeasible == nullptr) throw nb::python_error();
  m.attr("InfeasibleError") = nb::handle(infeasible);
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const InfeasibleError& e) {
      PyErr_SetString(infeasible, e.what());
    } catch (const InputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const Error& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    }
  });
}

}  // namespace gaus::py
