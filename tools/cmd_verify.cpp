// gaus verify FILE S.json: exit 0 when the schedule is legal, else 1 with every violation listed.
// gaus verify F.mlir: the schedule written in every SSP instance, with its class's rules.
#include <iostream>
#include <memory>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/schedule_json.hpp"
#include "host/verify/verify.hpp"
#include "tools/commands.hpp"
#include "tools/problem_options.hpp"
#include "tools/ssp_commands.hpp"

namespace gaus::cli {

void add_verify_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("verify", "Check a schedule against every rule of the model");
  auto opts = std::make_shared<ProblemOptions>();
  auto schedule_file = std::make_shared<std::string>();
  add_problem_options(cmd, *opts);
  cmd->add_option("SCHEDULE", *schedule_file,
                  "Schedule JSON ({\"starts\": {...}}); an SSP file (.mlir) carries its own");
  cmd->callback([opts, schedule_file] {
    if (is_ssp_input(*opts)) {
      if (!schedule_file->empty())
        throw InputError("an SSP file is verified with the schedule written in it (t<..>, z<..>, "
                         "II<..>): give no SCHEDULE");
      verify_ssp_file(*opts);
      return;
    }
    if (schedule_file->empty()) throw InputError("SCHEDULE is required (a schedule JSON)");
    const Problem p = load_problem(*opts);
    const Schedule s = parse_schedule_json(read_file(*schedule_file), *schedule_file, p);
    const VerifyResult v = verify(p, s, 1000);
    if (v.legal) {
      std::cout << "legal: " << p.num_ops() << " ops, latency " << schedule_latency(p, s);
      if (s.ii > 0) std::cout << ", II " << s.ii;
      std::cout << "\n";
      return;
    }
    std::cout << "ILLEGAL: " << v.count << " violation" << (v.count == 1 ? "" : "s") << "\n";
    for (const auto& x : v.violations) std::cout << "  " << x.message << "\n";
    if (v.count > static_cast<std::int64_t>(v.violations.size()))
      std::cout << "  ... and " << v.count - static_cast<std::int64_t>(v.violations.size())
                << " more\n";
    exit_code() = 1;
  });
}

}  // namespace gaus::cli
