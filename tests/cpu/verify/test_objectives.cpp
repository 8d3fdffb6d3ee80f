#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>

#include "core/error.hpp"
#include "graphs/builder.hpp"
#include "host/verify/objectives.hpp"

using namespace gaus;

namespace {

/// a, b on MUL (B = 2); c, d on ADD (B = 1). Weights w / sizes b:
/// a 2/4, b 1/2, c 3/1, d 1/8. Edges a -> b (c 5), a -> c (c 0), b -> d (c 2), c -> d (c 1),
/// d -> a loop-carried (c 7).
Problem small_problem() {
  ProblemBuilder b;
  const op_id a = b.add_op("a", "mul"), x = b.add_op("b", "mul"), c = b.add_op("c", "add"),
              d = b.add_op("d", "add");
  b.add_resource("mul", 1);
  const double w[] = {2, 1, 3, 1}, size[] = {4, 2, 1, 8};
  for (op_id i = 0; i < 4; ++i) {
    b.set_weight(i, w[i]);
    b.set_out_size(i, size[i]);
  }
  b.set_blocking(a, 2);
  b.set_blocking(x, 2);
  b.add_edge({.src = a, .dst = x, .adds_latency = false, .weight = 5});
  b.add_edge({.src = a, .dst = c, .adds_latency = false, .weight = 0});
  b.add_edge({.src = x, .dst = d, .adds_latency = false, .weight = 2});
  b.add_edge({.src = c, .dst = d, .adds_latency = false, .weight = 1});
  b.add_edge({.src = d, .dst = a, .adds_latency = false, .distance = 1, .weight = 7});
  return b.build();
}

/// Reference: W(d) and M(d) step by step over the covered range, folded when ii > 0.
std::pair<double, double> brute_peaks(const Problem& p, const std::vector<std::int32_t>& s,
                                      int ii) {
  std::int64_t lo = 0, hi = 1;
  if (!s.empty()) {
    lo = *std::min_element(s.begin(), s.end());
    hi = *std::max_element(s.begin(), s.end()) + 1;
  }
  const std::int64_t size = ii > 0 ? ii : hi - lo;
  std::vector<double> w(static_cast<std::size_t>(size), 0.0), m(w);
  auto at = [&](std::int64_t d) { return ii > 0 ? ((d % ii) + ii) % ii : d - lo; };
  for (op_id i = 0; i < p.num_ops(); ++i) {
    w[at(s[i])] += p.weight[i];
    std::int64_t last = s[i];
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) last = std::max<std::int64_t>(last, s[p.edge_dst[e]]);
    for (std::int64_t d = s[i]; d < last; ++d) m[at(d)] += p.out_size[i];
  }
  return {*std::max_element(w.begin(), w.end()), *std::max_element(m.begin(), m.end())};
}

}  // namespace

TEST_CASE("objectives of a small hand-computed schedule") {
  const Problem p = small_problem();
  const Schedule s{{0, 1, 3, 4}, 5, 0};
  // W: step 0: 2, 1: 1, 3: 3, 4: 1.
  CHECK(peak_use(p, s) == 3);
  // a -> b 5 * 1, a -> c weight 0, b -> d 2 * 3, c -> d 1 * 1; d -> a is loop-carried.
  CHECK(communication(p, s) == 12);
  CHECK(communication_binary(p, s) == 5);
  CHECK(formulation_a_score(p, s) == 305);
  // Live values: a [0, 3) 4, b [1, 4) 2, c [3, 4) 1, d none (no distance-0 consumer).
  // M = 4, 6, 6, 3.
  CHECK(peak_memory(p, s) == 6);
  // Folded mod 2: W residue 0 = 2 + 1, residue 1 = 1 + 3; M residue 0 = 4 + 6, residue 1 = 6 + 3.
  CHECK(peak_use_modulo(p, s, 2) == 4);
  CHECK(peak_memory_modulo(p, s, 2) == 10);
  // Units: mul a [0, 2), b [1, 3): 2 at step 1; add c, d: 1.
  CHECK(class_peak_use(p, s) == std::vector<std::int64_t>{2, 1});
  CHECK(class_peak_use(p, s, 2) == std::vector<std::int64_t>{2, 1});
  CHECK(class_peak_use(p, s, 1) == std::vector<std::int64_t>{4, 2});

  const Objectives o = evaluate(p, s);
  CHECK(o.latency == 5);
  CHECK(o.peak_use == 3);
  CHECK(o.communication == 12);
  CHECK(o.communication_binary == 5);
  CHECK(o.formulation_a == 305);
  CHECK(o.peak_memory == 6);
  CHECK(o.ii == 0);
  REQUIRE(o.class_peaks.size() == 2);
  CHECK(o.class_peaks[0].name == "mul");
  CHECK(o.class_peaks[0].limit == 1);
  CHECK(o.class_peaks[0].peak == 2);
  const nlohmann::json j = to_json(o);
  CHECK(j["formulation_a"] == 305.0);
  CHECK(j["class_peaks"]["add"]["peak"] == 1);
  CHECK_FALSE(j.contains("peak_memory_modulo"));

  const Objectives om = evaluate(p, Schedule{{0, 1, 3, 4}, 5, 2});
  CHECK(om.ii == 2);
  CHECK(om.peak_use_modulo == 4);
  CHECK(om.peak_memory_modulo == 10);
  CHECK(to_json(om)["peak_memory_modulo"] == 10.0);
}

TEST_CASE("objectives: a value lives until its last consumer starts") {
  ProblemBuilder b;
  const op_id x = b.add_op("x", ""), u = b.add_op("u", ""), v = b.add_op("v", ""),
              z = b.add_op("z", "");
  b.set_out_size(x, 10);
  b.set_out_size(u, 1);
  b.set_out_size(v, 100);
  b.add_edge({.src = x, .dst = u, .adds_latency = false});
  b.add_edge({.src = x, .dst = v, .adds_latency = false});
  b.add_edge({.src = u, .dst = z, .adds_latency = false});
  const Problem p = b.build();
  // x live [0, 6) (u at 2, v at 6); u live [2, 3); v is a sink: stores nothing.
  CHECK(peak_memory(p, Schedule{{0, 2, 6, 3}}) == 11);
  CHECK(peak_memory(p, Schedule{{0, 2, 6, 2}}) == 10);  // z starts with u: u's value is not kept
  CHECK(peak_memory(p, Schedule{{4, 4, 4, 4}}) == 0);   // every consumer starts with its producer
  // Folded mod 4: x covers residues 0, 1, 2, 3, 0, 1; u covers 2.
  CHECK(peak_memory_modulo(p, Schedule{{0, 2, 6, 3}}, 4) == 20);
  CHECK(peak_memory_modulo(p, Schedule{{0, 2, 6, 3}}, 6) == 11);
}

TEST_CASE("objectives handle empty problems, bad shapes and huge starts") {
  const Problem empty = ProblemBuilder().build();
  const Objectives o = evaluate(empty, Schedule{});
  CHECK(o.latency == 0);
  CHECK(o.peak_use == 0);
  CHECK(o.peak_memory == 0);
  CHECK(o.class_peaks.empty());
  const Problem p = small_problem();
  CHECK_THROWS_AS(evaluate(p, Schedule{{0, 1}}), InputError);
  CHECK_THROWS_AS(peak_use_modulo(p, Schedule{{0, 1, 3, 4}}, 0), InputError);
  const std::int32_t big = 2000000000;
  const Schedule s{{0, big, big, big + 100}};
  CHECK(peak_use(p, s) == 4);          // b and c share step 2e9
  CHECK(peak_memory(p, s) == 4);       // a [0, 2e9) 4, then b and c [2e9, 2e9 + 100) 3
  CHECK(evaluate(p, s).latency == std::int64_t{big} + 101);
  CHECK(communication_binary(p, s) == std::int64_t{big} + 100 + 100);
  CHECK(class_peak_use(p, s) == std::vector<std::int64_t>{1, 1});
}

TEST_CASE("objectives match a step-by-step reference on random schedules") {
  std::mt19937 rng(7);
  for (int g = 0; g < 60; ++g) {
    ProblemBuilder b;
    const int n = 1 + static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) {
      b.add_op("o" + std::to_string(i), "");
      b.set_weight(i, static_cast<double>(rng() % 100) / 10.0);
      b.set_out_size(i, static_cast<double>(rng() % 50) / 7.0);
    }
    for (int k = 0; k < 2 * n; ++k) {
      const int s = static_cast<int>(rng() % n), t = static_cast<int>(rng() % n);
      if (s < t) b.add_edge({.src = s, .dst = t, .weight = static_cast<double>(rng() % 3)});
    }
    const Problem p = b.build();
    std::vector<std::int32_t> st(n);
    // Sparse starts (far apart) take the sorting path, dense ones the difference array.
    const int spread = g % 2 ? 40 : 20000;
    for (auto& x : st) x = static_cast<std::int32_t>(rng() % spread) - spread / 4;
    const Schedule s{st};
    CAPTURE(g);
    for (int ii : {0, 1, 3, 7}) {
      const auto [pw, pm] = brute_peaks(p, st, ii);
      CHECK((ii ? peak_use_modulo(p, s, ii) : peak_use(p, s)) == doctest::Approx(pw));
      CHECK((ii ? peak_memory_modulo(p, s, ii) : peak_memory(p, s)) == doctest::Approx(pm));
    }
  }
}

TEST_CASE("objectives stay accurate over long sums") {
  const int n = 100000;
  ProblemBuilder b("w", false);
  for (int i = 0; i < n; ++i) {
    b.add_op("v" + std::to_string(i), "");
    b.set_weight(i, 0.1);
    b.set_out_size(i, 0.1);
    if (i > 0) b.add_edge({.src = i - 1, .dst = i, .adds_latency = false, .weight = 0.3});
  }
  const Problem p = b.build();
  std::vector<std::int32_t> st(n);
  for (int i = 0; i < n; ++i) st[i] = i / 10;  // ten ops per step
  const Schedule s{st};
  CHECK(peak_use(p, s) == doctest::Approx(1.0).epsilon(1e-12));
  // Live: op i until op i + 1 starts; at most one op per step (the tenth) survives the step.
  CHECK(peak_memory(p, s) == doctest::Approx(0.1).epsilon(1e-12));
  CHECK(communication(p, s) == doctest::Approx(0.3 * (n / 10 - 1)).epsilon(1e-12));
  CHECK(communication_binary(p, s) == n / 10 - 1);
}
