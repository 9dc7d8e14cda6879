// coinone-annotate: parse the arguments, run, map the result to an exit status.
#include "coinone_annotate/app/app.h"
#include "coinone_annotate/app/config.h"

int main(int argc, char** argv) {
  const coinone::ParseOutcome parsed = coinone::parse_command_line(argc, argv);
  if (!parsed.ok) return parsed.exit_code;
  return coinone::run(parsed.config);
}
