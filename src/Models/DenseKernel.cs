using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ose.Models;

/// <summary>
/// x Wᵀ + b of a Linear layer over a sequence [N, L, in] → [N, L, out], computed in inference on a multi-threaded CPU
/// as a width-1 convolution over the sequence. The result is the same; the kernel is not. libtorch's Linear is MKL's
/// SGEMM, and MKL takes its generic AVX2 code path on CPUs not made by Intel (perf on this AMD EPYC:
/// mkl_blas_def_sgemm_kernel_0_zen); its convolution is oneDNN's, which uses AVX-512 wherever the CPU has it (as ONNX
/// Runtime's MLAS does). [N, L, in] read as [N, in, L] is already in the channels-last layout oneDNN works in, so no
/// copy is made. Measured on 2 threads at the MiniLM shape (H 384, I 1536, L 128): 160 → 247 GFLOP/s at batch 8,
/// 130 → 180-200 at batch 1 (docs/benchmarks.md). libtorch sends a convolution to oneDNN only with more than one
/// thread (its heuristic: one thread takes a slower path), and training keeps Linear, whose backward pass is MKL's too.
/// </summary>
static class DenseKernel
{
    public static Tensor Apply(Linear layer, Tensor x)
    {
        if (is_grad_enabled() || x.device_type != DeviceType.CPU || x.dim() != 3 || get_num_threads() < 2)
            return layer.call(x);
        return F.conv1d(x.transpose(1, 2), layer.weight!.unsqueeze(-1), layer.bias).transpose(1, 2);
    }
}
