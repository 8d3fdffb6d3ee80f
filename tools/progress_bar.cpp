#include "tools/progress_bar.hpp"

#include <algorithm>
#include <cmath>

namespace gaus::cli {

std::string format_number(double x) {
  char buf[48];
  if (std::isfinite(x) && std::nearbyint(x) == x && std::abs(x) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", x);
  else
    std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string format_gap(double gap) {
  if (std::isnan(gap)) return "-";
  if (gap == 0) return "0%";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * gap);
  return buf;
}

ProgressBar::ProgressBar(std::FILE* out, bool tty, double limit_s, std::string objective)
    : out_(out), tty_(tty), limit_s_(limit_s), objective_(std::move(objective)) {}

std::string ProgressBar::line(const Progress& pr) const {
  std::string s = "[gaus] ";
  char buf[96];
  if (std::isfinite(limit_s_) && limit_s_ > 0) {
    constexpr int width = 20;
    const int filled = static_cast<int>(std::clamp(pr.time_s / limit_s_, 0.0, 1.0) * width);
    s += '[' + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(width - filled), '.') + "] ";
    std::snprintf(buf, sizeof buf, "%.1f/%.1fs", pr.time_s, limit_s_);
  } else {
    std::snprintf(buf, sizeof buf, "%.1fs", pr.time_s);
  }
  s += buf;
  s += "  " + objective_ + " " + (pr.have_legal ? format_number(pr.best_objective) : "-");
  const bool bound = !std::isnan(pr.lower_bound);
  s += "  bound " + (bound ? format_number(pr.lower_bound) : "-");
  if (pr.have_legal && bound) {
    const double gap = optimality_gap(pr.best_objective, pr.lower_bound);
    s += gap == 0 ? "  optimal" : "  gap " + format_gap(gap);
  }
  s += "  (";
  s += pr.stage;
  if (pr.horizon > 0) s += ", D=" + std::to_string(pr.horizon);
  if (pr.ii > 0) s += ", II=" + std::to_string(pr.ii);
  s += ")";
  return s;
}

void ProgressBar::update(const Progress& pr) {
  const bool has_bound = !std::isnan(pr.lower_bound);
  const bool changed = pr.have_legal != last_legal_ ||
                       (pr.have_legal && pr.best_objective != last_best_) ||
                       has_bound != last_has_bound_ || (has_bound && pr.lower_bound != last_bound_);
  last_legal_ = pr.have_legal;
  last_best_ = pr.best_objective;
  last_has_bound_ = has_bound;
  last_bound_ = pr.lower_bound;
  if (tty_) {
    if (!changed && last_draw_s_ >= 0 && pr.time_s - last_draw_s_ < 0.1) return;
    last_draw_s_ = pr.time_s;
    // Pad over a longer previous line, then return to its start.
    std::fprintf(out_, "\r%-100s", line(pr).c_str());
    std::fflush(out_);
    drawn_ = true;
    return;
  }
  if (!changed && reported_) return;
  if (!pr.have_legal && !has_bound) return;
  std::fprintf(out_, "%s\n", line(pr).c_str());
  std::fflush(out_);
  reported_ = true;
}

void ProgressBar::finish() {
  if (tty_ && drawn_) std::fprintf(out_, "\n");
  drawn_ = false;
}

}  // namespace gaus::cli
