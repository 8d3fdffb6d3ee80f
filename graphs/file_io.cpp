#include "graphs/file_io.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <new>
#include <optional>
#include <sstream>
#include <system_error>

#include "core/error.hpp"
#include "graphs/text_scan.hpp"

namespace gaus {

namespace fs = std::filesystem;

namespace {

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  while (!s.empty() && is_space_char(s.back())) s.remove_suffix(1);
  while (!s.empty() && is_space_char(s.front())) s.remove_prefix(1);
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string slurp_small(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text, '\0');
  return text;
}

/// MemAvailable from /proc/meminfo (it counts reclaimable page cache, unlike _SC_AVPHYS_PAGES).
std::optional<std::uint64_t> available_memory() {
  std::istringstream lines(slurp_small("/proc/meminfo"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("MemAvailable:")) continue;
    std::string_view v = std::string_view(line).substr(13);
    if (v.ends_with("kB")) v.remove_suffix(2);
    if (const auto kb = parse_u64(v)) return *kb * 1024;
  }
  const long pages = ::sysconf(_SC_AVPHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0) return std::uint64_t(pages) * std::uint64_t(page);
  return std::nullopt;
}

/// Room left under this process's cgroup v2 memory limit, when it has one.
std::optional<std::uint64_t> cgroup_room() {
  std::string group = slurp_small("/proc/self/cgroup");  // "0::/some/path\n" under cgroup v2
  if (!group.starts_with("0::/")) return std::nullopt;
  group = group.substr(3, group.find('\n') - 3);
  const std::string dir = "/sys/fs/cgroup" + (group == "/" ? std::string() : group);
  const auto max = parse_u64(slurp_small(dir + "/memory.max"));  // "max" when unlimited
  if (!max) return std::nullopt;
  const std::uint64_t used = parse_u64(slurp_small(dir + "/memory.current")).value_or(0);
  return *max > used ? *max - used : 0;
}

void lower_to(InputLimit& limit, std::uint64_t room, const char* what) {
  if (room / 2 >= limit.bytes) return;
  limit.bytes = room / 2;
  limit.reason = "half of the " + std::to_string(room) + " bytes of " + what +
                 "; GAUS_MAX_INPUT_BYTES overrides it";
}

/// `size` 0: a stream that went on past the limit (its size is unknown).
[[noreturn]] void too_large(const std::string& path, std::uint64_t size, const InputLimit& limit) {
  throw InputError(path + ": the file is too large for this machine's memory: " +
                   (size > 0 ? std::to_string(size) + " bytes, over" : std::string("more than")) +
                   " the limit of " + std::to_string(limit.bytes) + " bytes (" + limit.reason +
                   ")");
}

}  // namespace

InputLimit input_limit() {
  InputLimit limit{std::numeric_limits<std::uint64_t>::max(), "no limit known"};
  if (const char* env = std::getenv("GAUS_MAX_INPUT_BYTES"); env != nullptr) {
    const auto v = parse_u64(env);
    if (!v || *v == 0)
      throw InputError("GAUS_MAX_INPUT_BYTES = '" + printable(env) +
                       "' is not a positive number of bytes");
    return {*v, "GAUS_MAX_INPUT_BYTES"};
  }
  if (const auto avail = available_memory()) lower_to(limit, *avail, "memory available");
  if (rlimit as{}; ::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
    lower_to(limit, as.rlim_cur, "address space allowed (ulimit -v)");
  if (const auto room = cgroup_room()) lower_to(limit, *room, "memory left in this cgroup");
  return limit;
}

std::string read_file(const std::string& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) throw InputError(path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
  const InputLimit limit = input_limit();
  std::string data;
  std::uint64_t size = 0;
  try {
    if (fs::is_regular_file(status)) {
      size = fs::file_size(path, ec);
      if (ec) throw InputError(path + ": cannot tell its size: " + ec.message());
      // Checked before any allocation: a file larger than memory is refused without reading it.
      if (size > limit.bytes) too_large(path, size, limit);
      data.resize(static_cast<std::size_t>(size));
      in.read(data.data(), static_cast<std::streamsize>(size));
      if (static_cast<std::uint64_t>(in.gcount()) != size) throw InputError(path + ": read error");
    } else {  // a pipe or device: its size is known only at its end
      char chunk[1 << 16];
      while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        const auto got = static_cast<std::uint64_t>(in.gcount());
        if (data.size() + got > limit.bytes) too_large(path, 0, limit);
        data.append(chunk, got);
        size = data.size();
      }
      if (in.bad()) throw InputError(path + ": read error");
    }
  } catch (const std::bad_alloc&) {
    throw InputError(path + ": the file is too large for this machine's memory: out of memory " +
                     "reading " + std::to_string(size) + " bytes");
  }
  return data;
}

namespace {

std::string temp_name(const std::string& path) {
  return path + ".tmp." + std::to_string(static_cast<long>(::getpid()));
}

}  // namespace

void check_writable(const std::string& path) {
  std::error_code ec;
  if (path.empty()) throw InputError("output path is empty");
  if (fs::is_directory(path, ec)) throw InputError(path + ": is a directory, cannot write a file there");
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw InputError(path + ": cannot write: folder '" + parent.string() + "' does not exist");
  const std::string tmp = temp_name(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw InputError(path + ": cannot write: " + std::strerror(errno));
  std::fclose(f);
  std::remove(tmp.c_str());
}

void write_file_atomic(const std::string& path, std::string_view content) {
  const std::string tmp = temp_name(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw InputError(path + ": cannot write: " + std::strerror(errno));
  const bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size() &&
                  std::fflush(f) == 0;
  const int err = errno;
  if (std::fclose(f) != 0 || !ok) {
    std::remove(tmp.c_str());
    throw InputError(path + ": write failed: " + std::strerror(err));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int rerr = errno;
    std::remove(tmp.c_str());
    throw InputError(path + ": cannot replace: " + std::strerror(rerr));
  }
}

}  // namespace gaus
