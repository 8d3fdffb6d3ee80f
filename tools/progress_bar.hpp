// The solver's progress on stderr (gaus schedule --method gaus): on a terminal one line redrawn
// in place (carriage return) as a bar of the elapsed time against the limit, with the best
// objective, the lower bound and the gap; elsewhere (a log, a pipe) one line per new best or
// new bound, never one per iteration.
#pragma once

#include <cstdio>
#include <string>

#include "host/solver/solver.hpp"

namespace gaus::cli {

/// A number as a person writes it: integers without decimals ("276"), others to 6 significant
/// digits.
std::string format_number(double x);
/// "10.1%" (one decimal; "0%" at 0), "-" for NaN.
std::string format_gap(double gap);

class ProgressBar {
 public:
  /// `limit_s` may be infinity (the bar then shows the elapsed time alone); `objective` names
  /// what `best` is ("peak memory", "latency").
  ProgressBar(std::FILE* out, bool tty, double limit_s, std::string objective);
  /// Draws `pr` (TTY: at most every 0.1 s unless the best or bound changed; otherwise only
  /// when they changed).
  void update(const Progress& pr);
  /// Ends the TTY line (a newline when one was drawn).
  void finish();

  /// The text of one report, without the line ending (what update() prints).
  [[nodiscard]] std::string line(const Progress& pr) const;

 private:
  std::FILE* out_;
  bool tty_;
  double limit_s_;
  std::string objective_;
  bool drawn_ = false;
  bool reported_ = false;  ///< a best or bound was printed
  double last_best_ = 0, last_bound_ = 0, last_draw_s_ = -1;
  bool last_legal_ = false, last_has_bound_ = false;
};

}  // namespace gaus::cli
