// Keeps the library non-empty while its pieces land.
namespace hecto::results { int module_anchor = 0; }
