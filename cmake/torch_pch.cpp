// Owns the precompiled <torch/torch.h> that the torch-using modules reuse.
namespace hecto::detail {
int torch_pch_anchor = 0;
}
