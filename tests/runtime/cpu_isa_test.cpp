#include <gtest/gtest.h>

#include "runtime/cpu_isa.h"

using namespace hecto::runtime;

namespace {

const char* kZen4 =
    "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n"
    "model name\t: AMD EPYC\nflags\t\t: fpu sse2 avx avx2 fma avx512f avx512bw avx512_bf16 avx512_vnni\n"
    "processor\t: 1\ncpu family\t: 25\nmodel\t\t: 17\n";
const char* kTorchConfig = "PyTorch built with:\n  - CPU capability usage: AVX2\n  - Build settings: ...\n";

}  // namespace

TEST(CpuIsa, NamesFamilyModelTheExtensionsThatChangeKernelsAndTheAtenSet) {
  EXPECT_EQ(cpu_isa_from(kZen4, kTorchConfig), "family 25 model 17; avx2 avx512f avx512_bf16; ATen AVX2");
}

TEST(CpuIsa, AnAvx2OnlyCpuListsOnlyAvx2) {
  const std::string haswell = "cpu family\t: 23\nmodel\t\t: 49\nmodel name\t: AMD EPYC\nflags\t\t: sse2 avx avx2 fma\n";
  EXPECT_EQ(cpu_isa_from(haswell, kTorchConfig), "family 23 model 49; avx2; ATen AVX2");
}

TEST(CpuIsa, ACpuinfoFieldIsTheValueOfItsFirstLine) {
  EXPECT_EQ(cpuinfo_field(kZen4, "model name"), "AMD EPYC");
  EXPECT_EQ(cpuinfo_field(kZen4, "model"), "17");
  EXPECT_EQ(cpuinfo_field(kZen4, "stepping"), "");
}

TEST(CpuIsa, ModelNameIsNotTakenForTheModelAndMissingPartsAreLeftOut) {
  EXPECT_EQ(cpu_isa_from("model name\t: Some CPU\nflags\t: sse2\n", ""), "");
  EXPECT_EQ(cpu_isa_from("", "CPU capability usage: AVX512"), "ATen AVX512");
}

TEST(CpuIsa, ThisMachineIsDescribed) {
  const std::string isa = cpu_isa();
#if defined(__x86_64__)
  EXPECT_NE(isa.find("family "), std::string::npos) << isa;
#endif
  EXPECT_NE(isa.find("ATen "), std::string::npos) << isa;
}
