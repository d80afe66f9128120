#include "reports/table.h"

#include "reports/reference.h"

namespace hecto::reports {

std::string encoder_warning(const std::string& encoder) {
  if (encoder == kPaperEncoder) return "";
  const std::string name = encoder.empty() ? "an unrecorded encoder" : "\"" + encoder + "\"";
  return "WARNING: NOT the paper's encoder. These results come from " + name + ", not " + kPaperEncoder +
         ". Every paper figure beside them was measured with a different encoder: no number here is the paper's.";
}

std::string encoder_line(const std::string& encoder) {
  return encoder.empty() ? "Encoder: see each row." : "Encoder: " + encoder;
}

}  // namespace hecto::reports
