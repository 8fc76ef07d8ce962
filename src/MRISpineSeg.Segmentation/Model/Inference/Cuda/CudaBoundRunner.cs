using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Model.Inference.Cuda;

/// <summary>
/// Runs a CUDA session through an IOBinding whose input and <c>labels</c> output live in device buffers allocated
/// once: each run copies the float32 volume in, runs, and copies only the uint8 labels back (X·Y·Z bytes; the logits
/// never leave the device). Fixed addresses are what ONNX Runtime's docs require for CUDA graph capture and replay.
/// One binding serves one run at a time, so runs are serialised.
/// </summary>
internal sealed class CudaBoundRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly OrtValue _input;
    private readonly OrtValue _labels;
    private readonly nint _deviceInput;
    private readonly nint _deviceLabels;
    private readonly int _count;
    private readonly Lock _gate = new();

    private CudaBoundRunner(InferenceSession session, OrtIoBinding binding, OrtValue input, OrtValue labels, nint deviceInput, nint deviceLabels, int count)
    {
        _session = session;
        _binding = binding;
        _input = input;
        _labels = labels;
        _deviceInput = deviceInput;
        _deviceLabels = deviceLabels;
        _count = count;
    }

    /// <summary>Allocates the buffers on <paramref name="deviceId"/> and binds them. Throws <see cref="CudaException"/> or <see cref="OnnxRuntimeException"/>.</summary>
    public static CudaBoundRunner Create(InferenceSession session, string inputName, string labelsName, Shape3 grid, int deviceId)
    {
        var count = checked((int)grid.Count);
        CudaRuntime.SetDevice(deviceId);
        nint deviceInput = 0, deviceLabels = 0;
        OrtValue? input = null, labels = null;
        try
        {
            deviceInput = CudaRuntime.Allocate(count * (long)sizeof(float));
            deviceLabels = CudaRuntime.Allocate(count);
            using var memory = new OrtMemoryInfo("Cuda", OrtAllocatorType.DeviceAllocator, deviceId, OrtMemType.Default);
            input = OrtValue.CreateTensorValueWithData(memory, TensorElementType.Float, [1, 1, grid.X, grid.Y, grid.Z], deviceInput, count * (long)sizeof(float));
            labels = OrtValue.CreateTensorValueWithData(memory, TensorElementType.UInt8, [1, grid.X, grid.Y, grid.Z], deviceLabels, count);
            var binding = session.CreateIoBinding();
            binding.BindInput(inputName, input);
            binding.BindOutput(labelsName, labels);
            return new CudaBoundRunner(session, binding, input, labels, deviceInput, deviceLabels, count);
        }
        catch
        {
            input?.Dispose();
            labels?.Dispose();
            CudaRuntime.Free(deviceInput);
            CudaRuntime.Free(deviceLabels);
            throw;
        }
    }

    public byte[] Run(ReadOnlySpan<float> input, RunOptions options)
    {
        var labels = new byte[_count];
        lock (_gate)
        {
            CudaRuntime.CopyToDevice(_deviceInput, input);
            _session.RunWithBinding(options, _binding);
            CudaRuntime.CopyToHost(labels.AsSpan(), _deviceLabels);
        }

        return labels;
    }

    public void Dispose()
    {
        _binding.Dispose();
        _input.Dispose();
        _labels.Dispose();
        CudaRuntime.Free(_deviceInput);
        CudaRuntime.Free(_deviceLabels);
    }
}
