// use_sweep_strided (the CUDA op kernel's lane-per-step sweep) visits the same steps with the
// same values as use_sweep, whatever the stride.
#include <doctest/doctest.h>

#include <map>
#include <tuple>

#include "core/loss_steps.hpp"

using namespace gaus;

TEST_CASE("sweep: strided sweep equals the sequential one") {
  using Point = std::tuple<double, double, double>;
  for (std::int32_t hold : {1, 2, 5})
    for (double sigma : {0.05, 0.7, 3.0, 40.0})
      for (double mu : {-3.2, 0.0, 7.5, 61.25}) {
        std::map<std::int64_t, Point> seq, strided;
        use_sweep(mu, sigma, 5.0, hold, 0, 64,
                  [&](std::int64_t d, double r, double rm, double rs) { seq[d] = {r, rm, rs}; });
        for (int stride : {1, 3, 32}) {
          strided.clear();
          for (int lane = 0; lane < stride; ++lane)
            use_sweep_strided(mu, sigma, 5.0, hold, 0, 64, lane, stride,
                              [&](std::int64_t d, double r, double rm, double rs) {
                                CHECK(strided.count(d) == 0);
                                strided[d] = {r, rm, rs};
                              });
          INFO("hold ", hold, " sigma ", sigma, " mu ", mu, " stride ", stride);
          CHECK(strided == seq);
        }
      }
}
