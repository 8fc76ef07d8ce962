using System.Runtime.InteropServices;

namespace MRISpineSeg.Segmentation.Model.Inference;

/// <summary>
/// How the process's glibc heap holds ONNX Runtime's activations (with the arena off, every tensor is a malloc).
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Blocks of at least this size get their own mapping (<see cref="MapLargeBlocks"/>).</summary>
    public const int MmapThreshold = 1 << 20;

    private const int MmapThresholdParameter = -3; // M_MMAP_THRESHOLD in malloc.h

    /// <summary>
    /// Fixes glibc's mmap threshold at 1 MiB, so that every activation tensor is its own mapping and goes back to the
    /// OS when it is freed. glibc's default threshold moves up to the largest block freed so far (up to 32 MiB); after
    /// the first large tensor is freed, the next ones under 32 MiB come from the heap, where freed blocks of different
    /// sizes fragment it and stay resident. The x-slabbed tail's tensors are all of that size: the int8 graph in 8 slabs
    /// peaked at 1,105 MiB with the moving threshold and 536 MiB with this one, in about the same CPU time (BENCHMARKS.md).
    /// Process-wide and idempotent; elsewhere than glibc it does nothing.
    /// </summary>
    public static void MapLargeBlocks()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = MallOpt(MmapThresholdParameter, MmapThreshold);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl or another libc without mallopt: its own policy applies.
        }
    }

    /// <summary>
    /// Returns free glibc heap pages to the OS. Loading a model parses a protobuf as large as the weights (183 MB for
    /// width 16) and ONNX Runtime rewrites initializers (BatchNorm folding); the freed blocks otherwise stay resident
    /// and count against the worker's memory for its whole life.
    /// </summary>
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

    [LibraryImport("libc", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int MallOpt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int MallocTrim(nuint pad);
}
