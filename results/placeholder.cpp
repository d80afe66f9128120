namespace hecto::results { int placeholder_anchor = 0; }
