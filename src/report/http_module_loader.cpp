#include "coinone_annotate/report/http_module_loader.h"

#include <dlfcn.h>
#include <fmt/format.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <mutex>

namespace coinone {

namespace {

// /proc/self/exe, or without /proc (a bare chroot) the absolute path the program was started by.
std::string executable_path() {
  char buffer[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof(buffer));
  if (n > 0 && static_cast<size_t>(n) < sizeof(buffer))
    return std::string(buffer, static_cast<size_t>(n));
  const auto* started_as = reinterpret_cast<const char*>(::getauxval(AT_EXECFN));
  if (started_as != nullptr && started_as[0] == '/') return started_as;
  return {};
}

}  // namespace

std::vector<std::string> http_module_candidates(std::string_view exe_path) {
  const size_t slash = exe_path.rfind('/');
  const std::string dir(slash == std::string_view::npos ? "." : exe_path.substr(0, slash));
  std::vector<std::string> candidates;
  for (const char* relative : {http_module::kInstalledDir, http_module::kBuildTreeDir})
    candidates.push_back(fmt::format("{}/{}/{}", dir, relative, http_module::kFileName));
  return candidates;
}

const http_module::Api* load_http_module_from(const std::string& path, std::string& error) {
  // Never closed: the server's code must stay mapped while any server runs, and a module loaded
  // once costs nothing afterwards.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    error = fmt::format("cannot load the HTTP server module: {}", why != nullptr ? why : path);
    return nullptr;
  }
  auto entry = reinterpret_cast<http_module::EntryPoint>(::dlsym(handle, http_module::kEntryPoint));
  const http_module::Api* api = entry != nullptr ? entry() : nullptr;
  if (api == nullptr || api->abi_version != http_module::kAbiVersion) {
    error = fmt::format("{}: not the HTTP server module of this version of coinone-annotate", path);
    return nullptr;
  }
  return api;
}

const http_module::Api* load_http_module(std::string& error) {
  static std::once_flag once;
  static const http_module::Api* api = nullptr;
  static std::string load_error;
  std::call_once(once, [] {
    const std::string exe = executable_path();
    if (exe.empty()) {
      load_error = "cannot find the HTTP server module: /proc/self/exe is unreadable";  // rare
      return;
    }
    const std::vector<std::string> candidates = http_module_candidates(exe);
    for (const std::string& path : candidates) {
      if (::access(path.c_str(), F_OK) != 0) continue;
      api = load_http_module_from(path, load_error);
      return;
    }
    load_error = fmt::format("the HTTP server module is missing (looked for {})",
                             fmt::join(candidates, ", "));
  });
  if (api == nullptr) error = load_error;
  return api;
}

}  // namespace coinone
