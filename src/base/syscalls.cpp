#include "coinone_annotate/base/syscalls.h"

#include <sys/uio.h>
#include <unistd.h>

namespace coinone::sys {

const Table& real_table() {
  static const Table kReal{&::read, &::write, &::writev, &::poll};
  return kReal;
}

Table& table() {
  static Table current = real_table();
  return current;
}

}  // namespace coinone::sys
