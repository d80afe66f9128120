namespace hecto::tasks { int placeholder_anchor = 0; }
