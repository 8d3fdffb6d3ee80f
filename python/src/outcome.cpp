#include "python/src/outcome.hpp"

#include <nanobind/ndarray.h>
#include <nanobind/stl/string.h>

#include "graphs/chaining.hpp"

namespace nb = nanobind;

namespace gaus::py {

Outcome make_outcome(const Problem& p, Schedule s, std::string method, std::size_t max_reported) {
  Outcome o;
  o.method = std::move(method);
  if (p.has_delays() && s.z.empty() && s.start.size() == static_cast<std::size_t>(p.num_ops()))
    set_start_times_in_cycle(p, s);  // chaining: the least start times in cycle
  o.verification = verify(p, s, max_reported);
  // evaluate() needs one start per op; a shape violation is reported by verify alone.
  if (s.start.size() == static_cast<std::size_t>(p.num_ops())) {
    o.latency = schedule_latency(p, s);
    o.objectives_json = to_json(evaluate(p, s)).dump();
  } else {
    o.objectives_json = "{}";
  }
  o.schedule = std::move(s);
  return o;
}

nb::dict to_dict(Outcome&& o) {
  nb::dict d;
  d["method"] = o.method;
  auto* starts = new std::vector<std::int32_t>(std::move(o.schedule.start));
  nb::capsule owner(starts,
                    [](void* v) noexcept { delete static_cast<std::vector<std::int32_t>*>(v); });
  d["starts"] =
      nb::ndarray<nb::numpy, std::int32_t, nb::ndim<1>>(starts->data(), {starts->size()}, owner);
  d["horizon"] = o.schedule.horizon;
  d["ii"] = o.schedule.ii;
  d["latency"] = o.latency;
  d["legal"] = o.verification.legal;
  d["violation_count"] = o.verification.count;
  nb::list messages;
  for (const Violation& v : o.verification.violations) messages.append(v.message);
  d["violations"] = messages;
  d["objectives_json"] = o.objectives_json;
  if (!o.schedule.z.empty()) {
    nb::list z;
    for (double x : o.schedule.z) z.append(x);
    d["z"] = z;
  }
  return d;
}

}  // namespace gaus::py
