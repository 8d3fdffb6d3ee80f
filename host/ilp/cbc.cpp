#include "host/ilp/cbc.hpp"

#include <Cbc_C_Interface.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"

namespace gaus::ilp {

namespace {

/// Runs CBC in this process.
CbcResult solve_here(const Model& m, const std::vector<double>& start, const CbcOptions& o) {
  const int nc = m.num_cols(), nr = m.num_rows();
  std::vector<CoinBigIndex> cstart(static_cast<std::size_t>(nc) + 1, 0);
  for (int c : m.row_col) ++cstart[c + 1];
  for (int c = 0; c < nc; ++c) cstart[c + 1] += cstart[c];
  std::vector<int> cindex(m.row_col.size());
  std::vector<double> cvalue(m.row_col.size());
  std::vector<CoinBigIndex> fill(cstart.begin(), cstart.end() - 1);
  for (int r = 0; r < nr; ++r)
    for (std::int64_t q = m.row_start[r]; q < m.row_start[r + 1]; ++q) {
      const CoinBigIndex at = fill[m.row_col[q]]++;
      cindex[at] = r;
      cvalue[at] = m.row_val[q];
    }
  Cbc_Model* cbc = Cbc_newModel();
  Cbc_loadProblem(cbc, nc, nr, cstart.data(), cindex.data(), cvalue.data(), m.col_lb.data(),
                  m.col_ub.data(), m.obj.data(), m.row_lb.data(), m.row_ub.data());
  std::vector<int> idx;
  std::vector<double> val;
  for (int c = 0; c < nc; ++c)
    if (m.is_int[c]) {
      Cbc_setInteger(cbc, c);
      idx.push_back(c);
      val.push_back(start.empty() ? 0.0 : start[c]);
    }
  if (!start.empty()) Cbc_setMIPStartI(cbc, static_cast<int>(idx.size()), idx.data(), val.data());
  Cbc_setParameter(cbc, "log", o.verbose ? "1" : "0");
  Cbc_setParameter(cbc, "timeMode", "elapsed");  // the default counts CPU seconds
  Cbc_setParameter(cbc, "threads", std::to_string(o.threads).c_str());
  Cbc_setParameter(cbc, "sec", std::to_string(std::max(o.seconds, 0.01)).c_str());
  Cbc_setParameter(cbc, "ratio", "0");
  if (m.integral) Cbc_setParameter(cbc, "allow", "0.999");  // a better solution gains >= 1
  for (const std::string& kv : o.extra) {
    const auto eq = kv.find('=');
    Cbc_setParameter(cbc, kv.substr(0, eq).c_str(),
                     eq == std::string::npos ? "" : kv.substr(eq + 1).c_str());
  }
  Cbc_solve(cbc);
  CbcResult r;
  r.optimal = Cbc_isProvenOptimal(cbc) != 0;
  r.infeasible = Cbc_isProvenInfeasible(cbc) != 0;
  r.bound = Cbc_getBestPossibleObjValue(cbc);
  if (const double* best = Cbc_bestSolution(cbc)) {
    r.have = true;
    r.x.assign(best, best + nc);
  }
  r.status = r.optimal                        ? "optimal"
             : r.infeasible                   ? "infeasible"
             : Cbc_isSecondsLimitReached(cbc) ? "time limit"
                                              : "stopped (CBC status " +
                                                    std::to_string(Cbc_status(cbc)) + "/" +
                                                    std::to_string(Cbc_secondaryStatus(cbc)) + ")";
  Cbc_deleteModel(cbc);
  return r;
}

// The child's answer on the pipe: flags, bound, status length + text, then x when `have`.
struct Header {
  std::int32_t have, optimal, infeasible, status_len;
  double bound;
};

bool write_all(int fd, const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t k = ::write(fd, p, size);
    if (k <= 0) return false;
    p += k;
    size -= static_cast<std::size_t>(k);
  }
  return true;
}

}  // namespace

CbcResult solve_cbc(const Model& m, const std::vector<double>& start, const CbcOptions& o) {
  if (m.num_cols() == 0) {  // every op fixed by its window: nothing to decide
    CbcResult r;
    r.have = r.optimal = true;
    r.bound = 0;
    r.status = "optimal";
    return r;
  }
  int fds[2];
  if (::pipe(fds) != 0) return solve_here(m, start, o);
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return solve_here(m, start, o);
  }
  if (pid == 0) {  // child: solve, send the answer, leave without running destructors
    ::close(fds[0]);
    if (!o.verbose) {  // CbcMain prints LP results even at log level 0
      const int null = ::open("/dev/null", O_WRONLY);
      if (null >= 0) ::dup2(null, STDOUT_FILENO);
    }
    const CbcResult r = solve_here(m, start, o);
    std::fflush(stdout);
    const Header h{r.have, r.optimal, r.infeasible, static_cast<std::int32_t>(r.status.size()),
                   r.bound};
    const bool ok = write_all(fds[1], &h, sizeof h) &&
                    write_all(fds[1], r.status.data(), r.status.size()) &&
                    (!r.have || write_all(fds[1], r.x.data(), r.x.size() * sizeof(double)));
    ::_exit(ok ? 0 : 3);
  }
  ::close(fds[1]);
  using Clock = std::chrono::steady_clock;
  const auto until = Clock::now() + std::chrono::duration<double>(o.deadline_s);
  std::string buf;
  bool eof = false, killed = false, stopped = false;
  char chunk[1 << 16];
  while (!eof) {
    const double left = std::chrono::duration<double>(until - Clock::now()).count();
    if (left <= 0 || (o.stop && o.stop())) {
      ::kill(pid, SIGKILL);
      (left <= 0 ? killed : stopped) = true;
      break;
    }
    pollfd pf{fds[0], POLLIN, 0};
    const int ready = ::poll(&pf, 1, static_cast<int>(std::min(left, 0.2) * 1000) + 1);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t k = ::read(fds[0], chunk, sizeof chunk);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) eof = true;
    else buf.append(chunk, static_cast<std::size_t>(k));
  }
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  CbcResult r;
  if (stopped) {
    r.status = "stopped";
    return r;
  }
  if (killed) {
    char text[80];
    std::snprintf(text, sizeof text, "killed at the deadline (%.1f s)", o.deadline_s);
    r.status = text;
    return r;
  }
  Header h{};
  if (buf.size() < sizeof h) {
    r.status = "CBC failed (no answer from the solver process)";
    return r;
  }
  std::memcpy(&h, buf.data(), sizeof h);
  const std::size_t want = sizeof h + static_cast<std::size_t>(h.status_len) +
                           (h.have ? static_cast<std::size_t>(m.num_cols()) * sizeof(double) : 0);
  if (h.status_len < 0 || buf.size() != want) {
    r.status = "CBC failed (a truncated answer from the solver process)";
    return r;
  }
  r.have = h.have != 0;
  r.optimal = h.optimal != 0;
  r.infeasible = h.infeasible != 0;
  r.bound = h.bound;
  r.status.assign(buf.data() + sizeof h, static_cast<std::size_t>(h.status_len));
  if (r.have) {
    r.x.resize(static_cast<std::size_t>(m.num_cols()));
    std::memcpy(r.x.data(), buf.data() + sizeof h + h.status_len, r.x.size() * sizeof(double));
  }
  return r;
}

}  // namespace gaus::ilp
