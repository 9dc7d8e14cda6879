// replace_file(): writes a whole file so that a reader sees the old contents or the new, never a
// part: the text goes to a new file in the same directory (same file system), is synced, and is
// renamed over the path. Used for --summary-file, whose reader may be a cron job or a dashboard
// polling the path.
//
// The temporary file is ".NAME.PID.tmp" next to NAME, created exclusively with mode 0666 less
// the umask, and removed again on any failure. A symbolic link at the path is replaced by the
// file, as `mv` would. Writes go through the system-call seam (syscalls.h).
#pragma once
#include <string>
#include <string_view>

namespace coinone {

// Returns "" on success, else "PATH: reason" (the reason of the first call that failed).
std::string replace_file(const std::string& path, std::string_view text);

}  // namespace coinone
