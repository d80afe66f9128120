namespace hecto::model { int placeholder_anchor = 0; }
