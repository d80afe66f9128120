namespace hecto::runner { int placeholder_anchor = 0; }
