// Whole-file reads and atomic writes: an output file is written to a temporary name beside it
// and renamed, so no partial file is ever left behind.
#pragma once

#include <string>
#include <string_view>

namespace gaus {

/// Reads a whole file (binary-safe). Throws InputError naming the path when it cannot be read.
std::string read_file(const std::string& path);

/// Throws InputError when `path` cannot be written (missing folder, no permission, a folder of
/// that name), before any work is done. Leaves nothing behind.
void check_writable(const std::string& path);

/// Writes `content` to `path` through a temporary file and a rename. Throws InputError on failure
/// (the temporary is removed).
void write_file_atomic(const std::string& path, std::string_view content);

}  // namespace gaus
