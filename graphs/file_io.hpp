// Whole-file reads and atomic writes: an output file is written to a temporary name beside it
// and renamed, so no partial file is ever left behind.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gaus {

/// The most bytes read_file reads from one file, and why (for the message).
struct InputLimit {
  std::uint64_t bytes = 0;
  std::string reason;  ///< e.g. "half of the 23511863296 bytes of memory available; ..."
};

/// The input size limit: the environment variable GAUS_MAX_INPUT_BYTES (a positive integer) when
/// set; otherwise half of the smallest of the memory available now (MemAvailable, else free
/// physical pages), the address-space limit (RLIMIT_AS, `ulimit -v`) and the room left under a
/// cgroup v2 memory limit. Half, because the problem parsed from the bytes needs room beside
/// them. Throws InputError on a malformed GAUS_MAX_INPUT_BYTES.
InputLimit input_limit();

/// Reads a whole file (binary-safe). Throws InputError naming the path when it cannot be read,
/// and, before reading anything, when it is larger than input_limit() (an out-of-memory failure
/// while reading is reported the same way). Pipes and other non-regular files are read in chunks
/// under the same limit.
std::string read_file(const std::string& path);

/// Throws InputError when `path` cannot be written (missing folder, no permission, a folder of
/// that name), before any work is done. Leaves nothing behind.
void check_writable(const std::string& path);

/// Writes `content` to `path` through a temporary file and a rename. Throws InputError on failure
/// (the temporary is removed).
void write_file_atomic(const std::string& path, std::string_view content);

}  // namespace gaus
