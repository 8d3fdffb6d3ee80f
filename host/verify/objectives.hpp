// Exact objective values of a discrete schedule: the discrete counterparts of the relaxed
// terms of docs/design.md section 3 (3.6), used to score legalized schedules and in reports.
//
// Conventions (decided here, the relaxed terms follow the same ones):
// - Per-step quantities are evaluated over every step an op touches (for a legal schedule that
//   is within [0, D)); steps no op touches count 0.
// - Communication and live memory use distance-0 edges only: a loop-carried consumer belongs to
//   a later iteration, which a single-iteration schedule does not place. Communication counts
//   (s_j - s_i)^+ per edge, equal to s_j - s_i on any schedule that meets its dependencies.
// - Live memory: op i's value (b_i) is live on steps s_i <= d < max_{j in succ(i)} s_j, from its
//   producer's start until its last consumer starts; an op without distance-0 successors
//   stores nothing, and a value whose consumers all start no later than s_i occupies no step.
// - Modulo versions fold the per-step values onto residues d mod II (a lifetime longer than II
//   overlaps itself and counts once per overlap) and take the maximum over residues.
// Every function costs O(n + m + span) (span = the steps the schedule covers), falling back to
// O((n + m) log n) when start values are huge or sparse; none allocates by raw step value.
// Every function throws InputError when s.start does not have one entry per op.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "core/schedule.hpp"

namespace gaus {

/// max_d W(d), W(d) = sum of w_i over the ops starting at d (formulation A's peak).
double peak_use(const Problem& p, const Schedule& s);
/// W folded onto d mod ii (ii >= 1), then the maximum over residues.
double peak_use_modulo(const Problem& p, const Schedule& s, std::int32_t ii);

/// sum over distance-0 edges of c_e * (s_j - s_i)^+.
double communication(const Problem& p, const Schedule& s);
/// The same with every edge of c_e > 0 weighing 1 and c_e = 0 weighing 0 (ICML 2024).
std::int64_t communication_binary(const Problem& p, const Schedule& s);
/// Formulation A as reported: 100 * peak_use + communication_binary.
double formulation_a_score(const Problem& p, const Schedule& s);

/// max_d M(d), M(d) = sum_i b_i * [s_i <= d < max_{j in succ(i)} s_j] (see above).
double peak_memory(const Problem& p, const Schedule& s);
/// M folded onto d mod ii (ii >= 1), then the maximum over residues (formulation C).
double peak_memory_modulo(const Problem& p, const Schedule& s, std::int32_t ii);

/// Per unit class: the most units busy in one step (s_i <= d < s_i + B_i), or in one residue
/// mod ii when ii >= 1 (an op with B_i >= ii holds several units of a residue). Length
/// p.resources.size(); unlimited classes included.
std::vector<std::int64_t> class_peak_use(const Problem& p, const Schedule& s,
                                         std::int32_t ii = 0);

struct ClassPeak {
  std::string name;
  std::int32_t limit = -1;  ///< kUnlimited = -1
  std::int64_t peak = 0;    ///< class_peak_use
};

/// Every objective of one schedule.
struct Objectives {
  std::int64_t latency = 0;               ///< makespan max_i (s_i + max(L_i, 1)) (0: no ops)
  double peak_use = 0;                    ///< peak_use
  double communication = 0;               ///< communication
  std::int64_t communication_binary = 0;  ///< communication_binary
  double formulation_a = 0;               ///< formulation_a_score
  double peak_memory = 0;                 ///< peak_memory
  std::int32_t ii = 0;                    ///< the schedule's II; the fields below need ii > 0
  double peak_use_modulo = 0;             ///< peak_use_modulo at ii
  double peak_memory_modulo = 0;          ///< peak_memory_modulo at ii
  std::vector<ClassPeak> class_peaks;     ///< per class, folded mod ii when ii > 0
};

/// All objectives of `s` (modulo ones at s.ii when s.ii > 0, else left 0).
Objectives evaluate(const Problem& p, const Schedule& s);

/// {"latency", "peak_use", "communication", "communication_binary", "formulation_a",
///  "peak_memory", ["ii", "peak_use_modulo", "peak_memory_modulo" when ii > 0],
///  "class_peaks": {NAME: {"limit", "peak"}}}.
nlohmann::json to_json(const Objectives& o);

}  // namespace gaus
