using System.Runtime.InteropServices;

namespace MRISpineSeg.Segmentation.Model.Inference.Cuda;

/// <summary>
/// The few CUDA runtime calls the bound session needs: device buffers whose addresses stay fixed (a CUDA graph replays
/// against the addresses it captured) and copies into and out of them. ONNX Runtime's C# API can bind device memory
/// but has no copy into it. The CUDA provider links this same libcudart.so.13, so both share the device's primary context.
/// </summary>
internal static partial class CudaRuntime
{
    private const string Library = "libcudart.so.13";
    private const int HostToDevice = 1;
    private const int DeviceToHost = 2;

    public static void SetDevice(int device) => Check(cudaSetDevice(device), "cudaSetDevice");

    public static nint Allocate(long bytes)
    {
        Check(cudaMalloc(out var pointer, (nuint)bytes), "cudaMalloc");
        return pointer;
    }

    public static void Free(nint pointer)
    {
        if (pointer != 0) _ = cudaFree(pointer);
    }

    public static unsafe void CopyToDevice<T>(nint device, ReadOnlySpan<T> host)
        where T : unmanaged
    {
        fixed (T* p = host) Check(cudaMemcpy(device, (nint)p, (nuint)(host.Length * sizeof(T)), HostToDevice), "cudaMemcpy to the device");

        // The provider runs on its own non-blocking stream, which does not wait for this copy by itself.
        Check(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    }

    public static unsafe void CopyToHost<T>(Span<T> host, nint device)
        where T : unmanaged
    {
        fixed (T* p = host) Check(cudaMemcpy((nint)p, device, (nuint)(host.Length * sizeof(T)), DeviceToHost), "cudaMemcpy to the host");
    }

    private static void Check(int status, string call)
    {
        if (status != 0)
            throw new CudaException($"{call} failed with CUDA error {status} ({Marshal.PtrToStringAnsi(cudaGetErrorString(status)) ?? "unknown"})");
    }

    [LibraryImport(Library)]
    private static partial int cudaSetDevice(int device);

    [LibraryImport(Library)]
    private static partial int cudaMalloc(out nint pointer, nuint size);

    [LibraryImport(Library)]
    private static partial int cudaFree(nint pointer);

    [LibraryImport(Library)]
    private static partial int cudaMemcpy(nint destination, nint source, nuint count, int kind);

    [LibraryImport(Library)]
    private static partial int cudaDeviceSynchronize();

    [LibraryImport(Library)]
    private static partial nint cudaGetErrorString(int status);
}

/// <summary>A CUDA runtime call failed (or libcudart.so.13 is absent).</summary>
internal sealed class CudaException(string message) : Exception(message);
