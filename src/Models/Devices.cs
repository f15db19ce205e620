using static TorchSharp.torch;

namespace Ose.Models;

/// <summary>The device is chosen at run time (<c>--device</c>); the CUDA build of TorchSharp is chosen at build time.</summary>
public static class Devices
{
    public static Device Parse(string name) => name switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new UserInputException(
            "--device cuda: no CUDA device is available to this build (it references the CPU libtorch; see docs/students.md)"),
        _ => throw new UserInputException($"--device must be cpu or cuda, got '{name}'"),
    };
}
