// Keeps the library non-empty while its pieces land.
namespace hecto::model { int module_anchor = 0; }
