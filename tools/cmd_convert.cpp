// gaus convert FILE --to json|dot|ssp [--schedule S.json] [--out F]: any input format to native
// JSON, DOT or a CIRCT SSP instance (--class, --name); DOT with a schedule labels each op with
// its step and ranks ops by step.
#include <filesystem>
#include <iostream>
#include <memory>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "graphs/schedule_json.hpp"
#include "graphs/ssp/ssp_problem.hpp"
#include "tools/commands.hpp"
#include "tools/problem_options.hpp"

namespace gaus::cli {

void add_convert_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("convert", "Convert a problem to native JSON, DOT or CIRCT SSP");
  auto opts = std::make_shared<ProblemOptions>();
  auto to = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto schedule = std::make_shared<std::string>();
  auto problem_class = std::make_shared<std::string>("SharedOperatorsProblem");
  auto name = std::make_shared<std::string>();
  add_problem_options(cmd, *opts);
  cmd->add_option("--to", *to, "json|dot|ssp")
      ->required()
      ->check(CLI::IsMember({"json", "dot", "ssp"}));
  cmd->add_option("--class", *problem_class,
                  "ssp: the instance's problem class (Problem, CyclicProblem, ChainingProblem, "
                  "SharedOperatorsProblem, ModuloProblem, ChainingCyclicProblem)")
      ->capture_default_str();
  cmd->add_option("--name", *name, "ssp: the instance's name (default: FILE's stem)");
  cmd->add_option("--schedule", *schedule, "DOT only: a schedule JSON whose steps label the ops");
  cmd->add_option("--out", *out, "Output file (default: standard output)");
  cmd->callback([opts, to, out, schedule, problem_class, name] {
    if (!schedule->empty() && *to != "dot") throw InputError("--schedule goes with --to dot");
    if (!out->empty()) check_writable(*out);
    const Problem p = load_problem(*opts);
    std::string text;
    if (*to == "json") {
      text = write_native_json(p);
    } else if (*to == "ssp") {
      const auto cls = ssp::parse_problem_class(*problem_class);
      if (!cls) throw InputError("--class: unknown problem class '" + *problem_class + "'");
      const std::string stem = std::filesystem::path(opts->file).stem().string();
      text = ssp::write_ssp(ssp::to_module(p, *cls, name->empty() ? stem : *name));
    } else if (schedule->empty()) {
      text = write_dot(p);
    } else {
      const Schedule s = parse_schedule_json(read_file(*schedule), *schedule, p);
      text = write_dot(p, &s);
    }
    if (out->empty())
      std::cout << text;
    else
      write_file_atomic(*out, text);
  });
}

}  // namespace gaus::cli
