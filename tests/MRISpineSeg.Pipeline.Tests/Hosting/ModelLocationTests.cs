using Microsoft.Extensions.Configuration;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Pipeline.Tests.Hosting;

/// <summary>Where the model file comes from, without storage (the blob source runs on Azurite in EndToEnd.Tests/Pipeline/ModelLocationOnAzuriteTests).</summary>
public sealed class ModelLocationTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("model-location-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void ModelPathShouldBeTakenAsItIs()
    {
        var file = Touch("any.onnx");
        Assert.Equal(file, Resolve(("ModelPath", file)));
    }

    [Fact]
    public void BakedShouldFindTheOneModelInTheDirectoryLikeTheImageLaysItOut()
    {
        var file = Touch("spineseg-demo.onnx");
        Touch("README.md");
        Assert.Equal(file, Resolve(("ModelSource", "baked"), ("ModelDirectory", _dir.FullName)));
        Assert.Equal(file, Resolve(("ModelSource", " Baked "), ("ModelDirectory", _dir.FullName)));
    }

    [Fact]
    public void BakedWithNoModelShouldSaySoAndHowToBuildOne()
    {
        var ex = Fails(("ModelSource", "baked"), ("ModelDirectory", _dir.FullName));
        Assert.Contains("has no .onnx file", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MODEL_SOURCE=baked", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BakedWithTwoModelsShouldNameBothRatherThanPickOne()
    {
        Touch("b.onnx");
        Touch("a.onnx");
        var ex = Fails(("ModelSource", "baked"), ("ModelDirectory", _dir.FullName));
        Assert.Contains("has 2 .onnx files (a.onnx, b.onnx)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ModelPath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BakedWithAMissingDirectoryShouldNameIt()
    {
        var missing = Path.Combine(_dir.FullName, "nope");
        var ex = Fails(("ModelSource", "baked"), ("ModelDirectory", missing));
        Assert.Contains($"\"{missing}\" does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ModelSource", "s3", "\"s3\" is not a model source; give baked or blob")]
    [InlineData("ModelDirectory", null, "setting ModelDirectory is missing")]
    public void BadSourceSettingsShouldNameTheSettingAndWhatIsValid(string setting, string? value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["ModelSource"] = "baked", ["ModelDirectory"] = _dir.FullName, [setting] = value };
        var ex = Assert.Throws<PipelineException>(() => ModelLocation.Resolve(PipelineSettings.From(Config(settings)), NoStorage));
        Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PathAndSourceTogetherShouldBeRefusedRatherThanOneSilentlyIgnored()
    {
        var ex = Fails(("ModelPath", Touch("m.onnx")), ("ModelSource", "blob"));
        Assert.Contains("both set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NeitherShouldAskForModelPathFirst()
    {
        var ex = Fails();
        Assert.StartsWith("setting ModelPath is missing", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sub/model.onnx")]
    [InlineData("..")]
    public void BlobWithoutAPlainBlobNameShouldBeRefusedBeforeAnyDownload(string? name)
    {
        var ex = Fails(("ModelSource", "blob"), ("ModelDirectory", _dir.FullName), ("ModelBlobName", name));
        Assert.Contains("setting ModelBlobName", ex.Message, StringComparison.Ordinal);
        Assert.Contains("plain file name", ex.Message, StringComparison.Ordinal);
    }

    private string Touch(string name)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, [1]);
        return path;
    }

    private static PipelineStorage NoStorage() => throw new InvalidOperationException("storage must not be touched here");

    private static string Resolve(params (string Key, string? Value)[] settings)
        => ModelLocation.Resolve(PipelineSettings.From(Config(settings.ToDictionary(s => s.Key, s => s.Value))), NoStorage);

    private static PipelineException Fails(params (string Key, string? Value)[] settings)
    {
        var ex = Assert.Throws<PipelineException>(() => Resolve(settings));
        Assert.Equal(PipelineErrorReason.Configuration, ex.Reason);
        return ex;
    }

    private static IConfiguration Config(Dictionary<string, string?> settings) => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
