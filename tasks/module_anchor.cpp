// Keeps the library non-empty while its pieces land.
namespace hecto::tasks { int module_anchor = 0; }
