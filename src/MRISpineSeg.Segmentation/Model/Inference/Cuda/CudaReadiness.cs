using System.Runtime.InteropServices;

namespace MRISpineSeg.Segmentation.Model.Inference.Cuda;

/// <summary>
/// Names what a CUDA session needs and this process lacks, so that "CUDA cannot be used" says which piece: the
/// provider library (a CPU build of ONNX Runtime), the NVIDIA driver, a GPU device node, or one of the CUDA 13 and
/// cuDNN 9 libraries ONNX Runtime 1.31's CUDA provider links against. ONNX Runtime's own error is kept as well; this
/// adds the facts it does not state.
/// </summary>
internal static class CudaReadiness
{
    /// <summary>Libraries the provider loads, with what each one is.</summary>
    private static readonly (string Name, string What)[] Libraries =
    [
        ("libcuda.so.1", "the NVIDIA driver"),
        ("libcudart.so.13", "the CUDA 13 runtime"),
        ("libcublas.so.13", "cuBLAS for CUDA 13"),
        ("libcublasLt.so.13", "cuBLASLt for CUDA 13"),
        ("libcudnn.so.9", "cuDNN 9"),
    ];

    /// <summary>Everything missing, in the order to fix it, or an empty list when nothing this probe knows of is missing.</summary>
    public static IReadOnlyList<string> Missing(bool providerPresent)
    {
        var missing = new List<string>();
        if (!providerPresent)
            missing.Add("this ONNX Runtime has no CUDA provider (libonnxruntime_providers_cuda.so ships only in the Microsoft.ML.OnnxRuntime.Gpu.Linux package; the worker gets it when published with -p:WorkerInferenceDevice=cuda)");
        if (OperatingSystem.IsLinux() && !File.Exists("/dev/nvidiactl"))
            missing.Add("no NVIDIA device node (/dev/nvidiactl): no GPU is visible to this process or container");
        foreach (var (name, what) in Libraries)
        {
            if (NativeLibrary.TryLoad(name, out var handle)) NativeLibrary.Free(handle);
            else missing.Add($"{name} ({what}) cannot be loaded");
        }

        return missing;
    }

    /// <summary>One line: ONNX Runtime's reason, if any, then what is missing.</summary>
    public static string Explain(string? runtimeError, bool providerPresent)
    {
        var missing = Missing(providerPresent);
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(runtimeError)) parts.Add(runtimeError.Trim().ReplaceLineEndings(" "));
        parts.Add(missing.Count == 0 ? "the driver, a device node and the CUDA 13/cuDNN 9 libraries are all present" : string.Join("; ", missing));
        return string.Join("; ", parts);
    }
}
