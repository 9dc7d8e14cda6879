// Where the HTTP server module is looked for, and what loading a wrong file says. The module
// itself is exercised through MetricsServer in test_metrics_server.cpp and test_http_probe.cpp.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "coinone_annotate/report/http_module_loader.h"

using namespace coinone;

TEST_SUITE("http_module_loader") {
  TEST_CASE("candidates: the installed layout first, then the build tree") {
    CHECK(http_module_candidates("/usr/bin/coinone-annotate") ==
          std::vector<std::string>{"/usr/bin/../lib/coinone-annotate/http-server.so",
                                   "/usr/bin/lib/coinone-annotate/http-server.so"});
    CHECK(http_module_candidates("/src/build/coinone-annotate") ==
          std::vector<std::string>{"/src/build/../lib/coinone-annotate/http-server.so",
                                   "/src/build/lib/coinone-annotate/http-server.so"});
  }

  TEST_CASE("the module of this build loads; a missing or foreign file says why") {
    std::string error;
    CHECK(load_http_module(error) != nullptr);
    CHECK(error.empty());
    CHECK(load_http_module_from("/nonexistent/http-server.so", error) == nullptr);
    CHECK(error.find("cannot load the HTTP server module: /nonexistent/http-server.so") == 0);
    // A real shared library without the entry point: the C library itself.
    error.clear();
    CHECK(load_http_module_from("libc.so.6", error) == nullptr);
    CHECK(error == "libc.so.6: not the HTTP server module of this version of coinone-annotate");
  }
}
