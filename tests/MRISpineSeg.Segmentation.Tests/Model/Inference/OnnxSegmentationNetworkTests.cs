using Google.Protobuf;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.Onnx;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;
using MRISpineSeg.Segmentation.Tests.Model.VNet;

namespace MRISpineSeg.Segmentation.Tests.Model.Inference;

public sealed class OnnxSegmentationNetworkTests : IDisposable
{
    private static readonly Shape3 Grid = new(16, 16, 12);
    private readonly string _dir = TestFiles.TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void NetworkShouldBeReusableAcrossVolumesAndThreads()
    {
        using var net = OnnxSegmentationNetwork.Load(BuildModel(), new OnnxNetworkOptions { IntraOpThreads = 1 });
        Assert.Equal("CPUExecutionProvider", net.ExecutionProvider);
        var a = VNetGraphTests.RandomInput(Grid, 1);
        var b = VNetGraphTests.RandomInput(Grid, 2);
        var first = net.PredictLabels(a);
        var results = new byte[4][];
        Parallel.For(0, 4, i => results[i] = net.PredictLabels(i % 2 == 0 ? a : b));
        Assert.Equal(first, results[0]);
        Assert.Equal(first, results[2]);
        Assert.Equal(results[1], results[3]);
        Assert.NotEqual(first, results[1]);
        Assert.Equal(Grid.Count, first.Length);
    }

    [Fact]
    public void CudaRequestWithoutCudaProviderShouldFallBackToCpuAndSaySo()
    {
        var logger = new ListLogger();
        using var net = OnnxSegmentationNetwork.Load(BuildModel(), new OnnxNetworkOptions { Device = ExecutionDevice.Cuda, Logger = logger });
        Assert.Equal("CPUExecutionProvider", net.ExecutionProvider);
        Assert.Contains(logger.Lines, l => l.StartsWith("Warning: CUDA was requested", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.StartsWith("Information: Loaded model", StringComparison.Ordinal) && l.Contains("CPUExecutionProvider", StringComparison.Ordinal));
        Assert.Equal(Grid.Count, net.PredictLabels(VNetGraphTests.RandomInput(Grid, 1)).Length);
    }

    [Fact]
    public void MissingModelShouldBeModelNotFound()
    {
        var ex = Assert.Throws<SegmentationException>(() => OnnxSegmentationNetwork.Load(Path.Combine(_dir, "nope.onnx")));
        Assert.Equal(SegmentationErrorReason.ModelNotFound, ex.Reason);
        Assert.Contains("nope.onnx: the model file does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyOrGarbageFileShouldBeInvalidModel()
    {
        var empty = Path.Combine(_dir, "empty.onnx");
        File.WriteAllBytes(empty, []);
        Assert.Equal(SegmentationErrorReason.InvalidModel, Assert.Throws<SegmentationException>(() => OnnxSegmentationNetwork.Load(empty)).Reason);
        var text = Path.Combine(_dir, "text.onnx");
        File.WriteAllText(text, "this is not a model\n");
        var ex = Assert.Throws<SegmentationException>(() => OnnxSegmentationNetwork.Load(text));
        Assert.Equal(SegmentationErrorReason.InvalidModel, ex.Reason);
        Assert.Contains("text.onnx: not a loadable ONNX model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelWithoutManifestShouldBeInvalidManifest()
    {
        var path = Rewrite(BuildModel(), m => m.MetadataProps.Clear());
        var ex = Assert.Throws<SegmentationException>(() => OnnxSegmentationNetwork.Load(path));
        Assert.Equal(SegmentationErrorReason.InvalidManifest, ex.Reason);
        Assert.Contains("no 'spineseg.manifest' metadata entry", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestWithBadFieldsShouldListEveryField()
    {
        var path = Rewrite(BuildModel(), m => m.MetadataProps[0].Value = """{"format":1,"model_id":"x","architecture":"vnet","width":2,"activation":"relu","num_classes":20,"class_names":["a"],"input_grid":[16,16],"clip_max":-1,"image_order":1,"label_order":0,"layout":"L"}""");
        var ex = Assert.Throws<SegmentationException>(() => OnnxSegmentationNetwork.Load(path));
        Assert.Equal(SegmentationErrorReason.InvalidManifest, ex.Reason);
        foreach (var field in new[] { "activation", "class_names: 1 names for num_classes 20", "input_grid", "clip_max", "weights_sha256: missing" })
            Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestGridThatDisagreesWithTheGraphShouldBeModelMismatch()
    {
        var path = Rewrite(BuildModel(), m => m.MetadataProps[0].Value = m.MetadataProps[0].Value.Replace("[16,16,12]", "[32,32,12]", StringComparison.Ordinal));
        var ex = Assert.Throws<SegmentationException>(() => OnnxSegmentationNetwork.Load(path));
        Assert.Equal(SegmentationErrorReason.ModelMismatch, ex.Reason);
        Assert.Contains("[1,1,32,32,12]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogitsOnlyModelShouldStillGiveLabels()
    {
        var full = BuildModel();
        using var reference = OnnxSegmentationNetwork.Load(full);
        var input = VNetGraphTests.RandomInput(Grid, 9);
        var expected = reference.PredictLabels(input);
        var path = Rewrite(full, m =>
        {
            var labels = m.Graph.Output.Single(o => o.Name == "labels");
            m.Graph.Output.Remove(labels);
        });
        using var net = OnnxSegmentationNetwork.Load(path);
        Assert.Equal(expected, net.PredictLabels(input));
    }

    [Fact]
    public void WrongInputLengthShouldBeInputMismatch()
    {
        using var net = OnnxSegmentationNetwork.Load(BuildModel());
        var ex = Assert.Throws<SegmentationException>(() => net.PredictLabels(new float[100]));
        Assert.Equal(SegmentationErrorReason.InputMismatch, ex.Reason);
        Assert.Contains("[1,1,16,16,12] = 3072", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CancelledTokenShouldCancel()
    {
        using var net = OnnxSegmentationNetwork.Load(BuildModel());
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => net.PredictLabels(new float[Grid.Count], cts.Token));
    }

    private string BuildModel()
    {
        var path = Path.Combine(_dir, $"m{Guid.NewGuid():N}.onnx");
        VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(2), 5), path, new VNetBuildOptions { Grid = Grid });
        return path;
    }

    private string Rewrite(string path, Action<ModelProto> edit)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        edit(model);
        var outPath = Path.Combine(_dir, $"edited{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(outPath, model.ToByteArray());
        return outPath;
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
