using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Tests.Model.Inference;

/// <summary>
/// CUDA requested where it cannot run (these tests reference the CPU package, which has no CUDA provider): the
/// fallback says why, and a required device is refused naming what is missing.
/// </summary>
public sealed class CudaDeviceTests : IDisposable
{
    private static readonly Shape3 Grid = new(16, 16, 12);
    private readonly string _dir = TestFiles.TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void RequiredCudaWithoutTheCudaProviderShouldBeRefusedNamingTheMissingLibraryAndTheBuildThatHasIt()
    {
        var ex = Assert.Throws<SegmentationException>(() => OnnxSegmentationNetwork.Load(BuildModel(), new OnnxNetworkOptions { Device = ExecutionDevice.Cuda, RequireDevice = true }));

        Assert.Equal(SegmentationErrorReason.ProviderUnavailable, ex.Reason);
        Assert.Contains("CUDA was required but cannot be used: this ONNX Runtime has no CUDA provider (libonnxruntime_providers_cuda.so", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-p:WorkerInferenceDevice=cuda", ex.Message, StringComparison.Ordinal);
        if (!File.Exists("/dev/nvidiactl")) Assert.Contains("no NVIDIA device node (/dev/nvidiactl)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaFallbackShouldKeepTheReasonForTheCaller()
    {
        using var net = OnnxSegmentationNetwork.Load(BuildModel(), new OnnxNetworkOptions { Device = ExecutionDevice.Cuda });

        Assert.Equal("CPUExecutionProvider", net.ExecutionProvider);
        Assert.Equal("stored", net.Form);
        Assert.NotNull(net.DeviceProblem);
        Assert.Contains("no CUDA provider", net.DeviceProblem, StringComparison.Ordinal);
    }

    [Fact]
    public void CpuShouldNeverReportADeviceProblem()
    {
        using var net = OnnxSegmentationNetwork.Load(BuildModel(), new OnnxNetworkOptions { RequireDevice = true });

        Assert.Null(net.DeviceProblem);
        Assert.Equal("CPUExecutionProvider", net.ExecutionProvider);
    }

    private string BuildModel()
    {
        var path = Path.Combine(_dir, $"m{Guid.NewGuid():N}.onnx");
        VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(2), 5), path, new VNetBuildOptions { Grid = Grid });
        return path;
    }
}
