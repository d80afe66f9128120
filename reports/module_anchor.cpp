// Keeps the library non-empty while its pieces land.
namespace hecto::reports { int module_anchor = 0; }
