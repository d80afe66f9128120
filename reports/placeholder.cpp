namespace hecto::reports { int placeholder_anchor = 0; }
