// Prometheus text: a MetricsSnapshot in the text exposition format 0.0.4, as /metrics serves it.
//
// Kept apart from the counters (metrics.h) so that what is counted and how it is exposed change
// independently. Free functions, no state; thread-safe.
#pragma once
#include <string>
#include <string_view>

#include "coinone_annotate/report/metrics.h"

namespace coinone {

// Renders a snapshot: each family has # HELP and # TYPE lines, even when it has no samples;
// label values are escaped (\\, \", \n).
std::string render_prometheus(const MetricsSnapshot& snapshot);

// Escapes a label value for the text format: backslash, double quote and line feed.
void append_label_value(std::string_view value, std::string& out);

}  // namespace coinone
