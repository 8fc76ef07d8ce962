using System.Runtime.InteropServices;

namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>
/// Returns free glibc heap pages to the OS. Loading a model parses a protobuf as large as the weights (183 MB for
/// width 16) and ONNX Runtime rewrites initializers (BatchNorm folding); the freed blocks otherwise stay resident
/// and count against the worker's memory for its whole life.
/// </summary>
internal static partial class NativeHeap
{
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl or another libc without malloc_trim: nothing to trim.
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int MallocTrim(nuint pad);
}
