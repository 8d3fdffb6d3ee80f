#include "graphs/file_io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <unistd.h>

#include "core/error.hpp"

namespace gaus {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw InputError(path + ": is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open: " + std::strerror(errno));
  std::string data;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size > 0) {
    data.resize(static_cast<std::size_t>(size));
    in.seekg(0, std::ios::beg);
    in.read(data.data(), size);
    if (!in) throw InputError(path + ": read error");
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
