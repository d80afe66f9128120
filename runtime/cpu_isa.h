#pragma once
// What on a CPU decides a cell's numbers, not only its speed: cells are bit-identical only on the
// same kind of CPU, because OpenBLAS and ATen pick kernels by instruction set, and those kernels
// sum in different orders. The CPU's model name alone ("AMD EPYC" in a VM) does not tell them apart.
#include <string>

namespace hecto::runtime {

// e.g. "family 25 model 17; avx2 avx512f avx512_bf16; ATen AVX2": the CPU's family and model,
// which of the vector extensions that change kernels it has (avx2, avx512f, avx512_bf16,
// amx_bf16), and the kernel set this LibTorch dispatches to. Empty parts are left out.
std::string cpu_isa();

// The same from /proc/cpuinfo's text and LibTorch's configuration text (at::show_config()).
std::string cpu_isa_from(const std::string& cpuinfo, const std::string& torch_config);

// /proc/cpuinfo's text ("" where there is none), and the value of `key` on its first line of
// that key ("model name\t: AMD EPYC" -> "AMD EPYC"; "model" never matches "model name"), or "".
std::string read_cpuinfo();
std::string cpuinfo_field(const std::string& cpuinfo, const std::string& key);

}  // namespace hecto::runtime
