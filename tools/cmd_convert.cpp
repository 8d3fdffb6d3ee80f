// gaus convert FILE --to json|dot [--out F]: any input format to native JSON or DOT.
#include <iostream>
#include <memory>

#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "tools/commands.hpp"
#include "tools/problem_options.hpp"

namespace gaus::cli {

void add_convert_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("convert", "Convert a problem to native JSON or DOT");
  auto opts = std::make_shared<ProblemOptions>();
  auto to = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  add_problem_options(cmd, *opts);
  cmd->add_option("--to", *to, "json|dot")->required()->check(CLI::IsMember({"json", "dot"}));
  cmd->add_option("--out", *out, "Output file (default: standard output)");
  cmd->callback([opts, to, out] {
    if (!out->empty()) check_writable(*out);
    const Problem p = load_problem(*opts);
    const std::string text = *to == "json" ? write_native_json(p) : write_dot(p);
    if (out->empty())
      std::cout << text;
    else
      write_file_atomic(*out, text);
  });
}

}  // namespace gaus::cli
