// read_file's size limit: a file larger than memory is refused before anything is read or
// allocated, with a message naming the file; GAUS_MAX_INPUT_BYTES sets the limit.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"

using namespace gaus;
namespace fs = std::filesystem;

namespace {

/// Sets GAUS_MAX_INPUT_BYTES for one scope (unset when `value` is null), restoring it after.
class EnvLimit {
 public:
  explicit EnvLimit(const char* value) {
    if (const char* old = std::getenv(kName)) old_ = old;
    if (value == nullptr)
      ::unsetenv(kName);
    else
      ::setenv(kName, value, 1);
  }
  ~EnvLimit() {
    if (old_)
      ::setenv(kName, old_->c_str(), 1);
    else
      ::unsetenv(kName);
  }
  EnvLimit(const EnvLimit&) = delete;
  EnvLimit& operator=(const EnvLimit&) = delete;

 private:
  static constexpr const char* kName = "GAUS_MAX_INPUT_BYTES";
  std::optional<std::string> old_;
};

/// A folder of its own under the system temporary folder, removed at the end.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("gaus_file_io_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name, const std::string& content) const {
    const std::string p = (path / name).string();
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
};

std::string error_of(const std::string& path) {
  try {
    (void)read_file(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("file_io: a sparse file larger than physical memory is refused unread") {
  const EnvLimit env(nullptr);  // the limit from the machine's memory
  const TempDir dir;
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  REQUIRE((pages > 0 && page > 0));
  const std::uintmax_t physical = std::uintmax_t(pages) * std::uintmax_t(page);
  const std::string path = (dir.path / "huge.dot").string();
  std::ofstream(path).put('d');
  std::error_code ec;
  fs::resize_file(path, physical + (std::uintmax_t{1} << 30), ec);  // a hole: no disk used
  if (ec) {
    MESSAGE("skipped: cannot make a sparse file here: " << ec.message());
    return;
  }
  const InputLimit limit = input_limit();
  CHECK(limit.bytes <= physical);
  CHECK(contains(limit.reason, "GAUS_MAX_INPUT_BYTES overrides it"));
  // "over the limit" is the check made before reading; an attempt to read would have said
  // "out of memory reading" (or been killed).
  // The limit is read from the machine's available memory at each call, which moves between
  // calls, so both messages are compared up to that figure.
  const std::string expected = path + ": the file is too large for this machine's memory: " +
                               std::to_string(physical + (std::uintmax_t{1} << 30)) +
                               " bytes, over the limit of ";
  const std::string msg = error_of(path);
  CHECK(msg.starts_with(expected));
  CHECK(msg.ends_with("; GAUS_MAX_INPUT_BYTES overrides it)"));
  std::string graph_msg = "<no error>";
  try {
    (void)read_graph_file(path);
  } catch (const InputError& e) {
    graph_msg = e.what();
  }
  CHECK(graph_msg.starts_with(expected));
  CHECK(graph_msg.ends_with("; GAUS_MAX_INPUT_BYTES overrides it)"));
}

TEST_CASE("file_io: GAUS_MAX_INPUT_BYTES caps what is read") {
  const TempDir dir;
  const std::string hundred = dir.file("a.dot", "digraph { a [label = x] }" + std::string(75, ' '));
  REQUIRE(fs::file_size(hundred) == 100);
  {
    const EnvLimit env("100");
    CHECK(input_limit().bytes == 100);
    CHECK(read_file(hundred).size() == 100);
    CHECK(read_graph_file(hundred).num_ops() == 1);
  }
  {
    const EnvLimit env(" 99\n");
    CHECK(error_of(hundred) == hundred +
                                   ": the file is too large for this machine's memory: 100 bytes, "
                                   "over the limit of 99 bytes (GAUS_MAX_INPUT_BYTES)");
  }
  for (const char* bad : {"abc", "0", "-5", "12x", "", "99999999999999999999999"}) {
    CAPTURE(bad);
    const EnvLimit env(bad);
    CHECK_THROWS_WITH_AS((void)read_file(hundred),
                         ("GAUS_MAX_INPUT_BYTES = '" + std::string(bad) +
                          "' is not a positive number of bytes")
                             .c_str(),
                         InputError);
  }
}

TEST_CASE("file_io: devices and pipes are read in chunks under the limit") {
  if (!fs::exists("/dev/zero") || !fs::exists("/dev/null")) {
    MESSAGE("skipped: no /dev/zero or /dev/null");
    return;
  }
  const EnvLimit env("1000000");
  // An endless device stops at the limit instead of filling memory.
  CHECK(error_of("/dev/zero") ==
        "/dev/zero: the file is too large for this machine's memory: more than the limit of "
        "1000000 bytes (GAUS_MAX_INPUT_BYTES)");
  CHECK(read_file("/dev/null").empty());
}

TEST_CASE("file_io: the default limit comes from this machine") {
  const EnvLimit env(nullptr);
  const InputLimit limit = input_limit();
  CHECK(limit.bytes > 0);
  CHECK(contains(limit.reason, "half of the"));
}
