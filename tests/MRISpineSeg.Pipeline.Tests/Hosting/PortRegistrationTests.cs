using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MRISpineSeg.Pipeline.Adapters;
using MRISpineSeg.Pipeline.Handlers;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Jobs;
using MRISpineSeg.Pipeline.Outcomes;
using MRISpineSeg.Pipeline.Ports;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Pipeline.Tests.Hosting;

public sealed class PortRegistrationTests
{
    [Fact]
    public void SegmenterWithoutModelPathShouldFailAsConfigurationNamingTheSetting()
    {
        var ex = Assert.Throws<PipelineException>(() => Resolve<IScanSegmenter>(new()));
        Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
        Assert.Contains(PortRegistration.ModelPathSetting, ex.Message);
    }

    [Fact]
    public void SegmenterWithAFileThatIsNotAModelShouldFailAsConfigurationWithTheLibrarysReason()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not an onnx model");
            var ex = Assert.Throws<PipelineException>(() => Resolve<IScanSegmenter>(new() { [PortRegistration.ModelPathSetting] = path }));
            Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
            Assert.IsType<Segmentation.SegmentationException>(ex.InnerException);
            Assert.Contains(path, ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(PortRegistration.ModelThreadsSetting, "-1")]
    [InlineData(PortRegistration.ModelThreadsSetting, "many")]
    [InlineData(PortRegistration.ModelDeviceSetting, "tpu")]
    [InlineData(PortRegistration.KeepLargestComponentSetting, "sometimes")]
    public void SegmenterWithABadOptionalSettingShouldNameIt(string setting, string value)
    {
        var path = Path.GetTempFileName();
        try
        {
            var ex = Assert.Throws<PipelineException>(() => Resolve<IScanSegmenter>(new() { [PortRegistration.ModelPathSetting] = path, [setting] = value }));
            Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
            Assert.Contains(setting, ex.Message);
            Assert.Contains(value, ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SegmenterConfiguredForCudaWhereCudaCannotRunShouldStopTheHostNamingWhatIsMissing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cuda-{Guid.NewGuid():N}.onnx");
        try
        {
            Segmentation.Model.VNet.VNetModelBuilder.Write(
                Segmentation.Model.Weights.RandomWeights.Create(Segmentation.Model.VNet.VNetArchitecture.Spine(2), 1),
                path,
                new Segmentation.Model.VNet.VNetBuildOptions { Grid = new(16, 16, 12) });
            var ex = Assert.Throws<PipelineException>(() => Resolve<IScanSegmenter>(new() { [PortRegistration.ModelPathSetting] = path, [PortRegistration.ModelDeviceSetting] = "Cuda" }));
            Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
            Assert.Equal(Segmentation.SegmentationErrorReason.ProviderUnavailable, Assert.IsType<Segmentation.SegmentationException>(ex.InnerException).Reason);
            Assert.Contains("CUDA was required but cannot be used: this ONNX Runtime has no CUDA provider", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ScorerShouldBeTheScoringLibraryAdapter()
        => Assert.IsType<ScoringSubmissionScorer>(Resolve<ISubmissionScorer>(new()));

    private static T Resolve<T>(Dictionary<string, string?> settings)
        where T : notnull
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddScanSegmenter(config).AddSubmissionScorer(config).BuildServiceProvider();
        return provider.GetRequiredService<T>();
    }
}
