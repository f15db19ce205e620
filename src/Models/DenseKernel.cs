using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Ose.Models;

/// <summary>
/// A Linear layer over a sequence, x Wᵀ + b for x of shape [N, L, in]. In inference on a multi-threaded CPU it runs as
/// a width-1 convolution over the sequence: the same result from a faster kernel. Why: libtorch's Linear is MKL's SGEMM,
/// which takes its generic AVX2 path on CPUs not made by Intel (perf on this AMD EPYC: mkl_blas_def_sgemm_kernel_0_zen),
/// while its convolution is oneDNN's, which uses AVX-512 wherever the CPU has it, as ONNX Runtime's MLAS does. x read
/// as [N, in, L] is already the channels-last layout oneDNN works in, so no copy is made. At the MiniLM shape on
/// 2 threads: 160 → 247 GFLOP/s per layer at batch 8 (docs/benchmarks.md, issue 16). Only with more than one thread
/// does libtorch send a convolution to oneDNN; training keeps Linear, as the change was measured for inference only.
/// </summary>
static class DenseKernel
{
    public static Tensor Apply(Linear layer, Tensor x)
    {
        if (is_grad_enabled() || x.device_type != DeviceType.CPU || get_num_threads() < 2)
            return layer.call(x);
        return F.conv1d(x.transpose(1, 2), layer.weight!.unsqueeze(-1), layer.bias).transpose(1, 2);
    }
}
