#include "graphs/generate.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "graphs/builder.hpp"
#include "graphs/splitmix.hpp"

namespace gaus {

Problem generate_layered(const GenerateOptions& o) {
  auto bad = [](const std::string& m) { throw InputError("generate: " + m); };
  if (o.ops < 1 || o.ops > 2000000000) bad("ops must be in [1, 2e9]");
  if (o.layers < 0) bad("layers must be >= 0");
  if (o.max_fan_in < 1 || o.span < 1) bad("max_fan_in and span must be >= 1");
  if (o.num_classes < 0 || o.class_limit < -1) bad("bad unit classes or limit");
  if (o.min_latency < 0 || o.max_latency < o.min_latency) bad("bad latency range");
  if (!(o.max_op_weight >= 1.0) || !(o.loop_carried >= 0.0) || o.max_distance < 1)
    bad("bad weights, loop-carried share or distance");
  const std::int64_t n = o.ops;
  const std::int64_t layers =
      std::clamp<std::int64_t>(o.layers > 0 ? o.layers : std::llround(std::sqrt(double(n))), 1, n);
  SplitMix64 rng(o.seed);
  ProblemBuilder b("generated", /*index_names=*/false);
  std::vector<std::string> classes;
  for (std::int32_t c = 0; c < o.num_classes; ++c) {
    classes.emplace_back("u");
    classes.back() += std::to_string(c);  // (not "u" + ...: GCC 12 warns falsely, -Wrestrict)
    b.add_resource(classes.back(), o.class_limit);
  }
  // Layer L holds ops [first(L), first(L+1)).
  const auto first = [&](std::int64_t layer) { return layer * n / layers; };
  std::string name;
  for (std::int64_t i = 0; i < n; ++i) {
    name.assign(1, 'n');
    name += std::to_string(i);
    const std::string_view type =
        classes.empty() ? std::string_view() : std::string_view(classes[rng.below(classes.size())]);
    const op_id op = b.add_op(name, type);
    const auto lat = static_cast<std::int32_t>(
        o.min_latency + static_cast<std::int32_t>(rng.below(o.max_latency - o.min_latency + 1)));
    b.set_latency(op, lat);
    if (!classes.empty()) b.set_blocking(op, o.pipelined ? 1 : lat);
    b.set_weight(op, 1.0 + (o.max_op_weight - 1.0) * rng.unit());
    b.set_out_size(op, 1.0 + (o.max_op_weight - 1.0) * rng.unit());
  }
  op_id preds[64];
  const std::int32_t fan = std::min(o.max_fan_in, 64);
  for (std::int64_t layer = 1; layer < layers; ++layer) {
    const std::int64_t lo = first(std::max<std::int64_t>(0, layer - o.span));
    const std::int64_t hi = first(layer);  // predecessors in [lo, hi)
    for (std::int64_t j = first(layer); j < first(layer + 1); ++j) {
      const auto want = static_cast<std::int32_t>(1 + rng.below(fan));
      std::int32_t got = 0;
      for (std::int32_t tries = 0; got < want && tries < 2 * want; ++tries) {
        const auto i = static_cast<op_id>(lo + static_cast<std::int64_t>(rng.below(hi - lo)));
        if (std::find(preds, preds + got, i) != preds + got) continue;
        preds[got++] = i;
        EdgeSpec e;
        e.src = i;
        e.dst = static_cast<op_id>(j);
        e.adds_latency = !o.zero_delay;
        e.weight = rng.unit() < o.edge_weight_fraction ? 1.0 : 0.0;
        b.add_edge(e);
      }
    }
  }
  const auto back = static_cast<std::int64_t>(std::llround(o.loop_carried * double(n)));
  for (std::int64_t k = 0; k < back && n > 1; ++k) {
    auto x = static_cast<op_id>(rng.below(n));
    auto y = static_cast<op_id>(rng.below(n));
    if (x == y) y = static_cast<op_id>((y + 1) % n);
    EdgeSpec e;
    e.src = std::max(x, y);  // later op feeds an earlier one in a later iteration
    e.dst = std::min(x, y);
    e.distance = static_cast<std::int32_t>(1 + rng.below(o.max_distance));
    e.adds_latency = !o.zero_delay;
    b.add_edge(e);
  }
  return b.build();
}

}  // namespace gaus
