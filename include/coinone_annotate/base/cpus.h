// How many CPUs this process may run on: the second thread of a compressed input's decoder and
// of the searcher's large blocks only pays on two or more.
#pragma once

namespace coinone {

// The CPUs in this process's affinity mask (sched_getaffinity), which a container's cpuset or
// `taskset` narrows, unlike std::thread::hardware_concurrency(); 1 when it cannot be known.
unsigned usable_cpus();

}  // namespace coinone
