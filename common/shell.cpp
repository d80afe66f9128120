#include "common/shell.h"

namespace hecto::common {

std::string shell_quote(const std::string& word) {
  std::string q = "'";
  for (char ch : word) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

}  // namespace hecto::common
