// Keeps the library non-empty while its pieces land.
namespace hecto::runner { int module_anchor = 0; }
