using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.Onnx;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;
using MRISpineSeg.Segmentation.Tests.Model.VNet;

namespace MRISpineSeg.Segmentation.Tests.Model.Onnx;

/// <summary>A model loaded for labels only runs without its logits branch and gives the same labels.</summary>
public sealed class LabelsOnlyGraphTests : IDisposable
{
    private static readonly Shape3 Grid = new(32, 16, 12);
    private readonly string _dir = TestFiles.TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void CutShouldKeepOnlyWhatTheLabelsNeed()
    {
        var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(SlabbedModel())).Graph;
        var before = graph.Node.Count;

        Assert.True(LabelsOnlyGraph.Cut(graph));

        Assert.Equal([SegmentationGraph.LabelsName], graph.Output.Select(o => o.Name));
        Assert.True(graph.Node.Count < before, $"{graph.Node.Count} nodes left of {before}");
        Assert.DoesNotContain(graph.Node, n => n.Name == "logits_concat"); // the slabs' logits feed their argmax, but are no longer joined
        var produced = graph.Node.SelectMany(n => n.Output).Concat(graph.Input.Select(i => i.Name)).Concat(graph.Initializer.Select(t => t.Name)).ToHashSet();
        Assert.All(graph.Node.SelectMany(n => n.Input).Where(i => i.Length > 0), i => Assert.Contains(i, produced));
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet();
        Assert.All(graph.Initializer, t => Assert.Contains(t.Name, read));
    }

    [Fact]
    public void GraphWithoutLabelsOrWithOnlyLabelsShouldBeLeftAsItIs()
    {
        var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(SlabbedModel())).Graph;
        var logitsOnly = graph.Clone();
        logitsOnly.Output.Remove(logitsOnly.Output.Single(o => o.Name == SegmentationGraph.LabelsName));
        Assert.False(LabelsOnlyGraph.Cut(logitsOnly));
        Assert.Equal(graph.Node.Count, logitsOnly.Node.Count);

        Assert.True(LabelsOnlyGraph.Cut(graph));
        Assert.False(LabelsOnlyGraph.Cut(graph)); // already labels only
    }

    [Fact]
    public void GraphWithASubgraphShouldBeLeftAsItIs()
    {
        var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(SlabbedModel())).Graph;
        var node = new NodeProto { OpType = "If", Name = "branch" };
        node.Input.Add("input");
        node.Output.Add("branch_out");
        node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = new GraphProto { Name = "then" } });
        graph.Node.Add(node);

        Assert.False(LabelsOnlyGraph.Cut(graph));
    }

    [Fact]
    public void LoadedForLabelsTheNetworkShouldGiveTheSameLabelsAndRefuseLogitsSayingHowToKeepThem()
    {
        var path = SlabbedModel();
        var input = VNetGraphTests.RandomInput(Grid, 3);

        using var full = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { Logits = true, IntraOpThreads = 1 });
        using var cut = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { IntraOpThreads = 1 });

        Assert.Equal(full.Predict(input, includeLogits: true).Labels, cut.PredictLabels(input));
        var ex = Assert.Throws<SegmentationException>(() => cut.Predict(input, includeLogits: true));
        Assert.Equal(SegmentationErrorReason.ModelMismatch, ex.Reason);
        Assert.Contains("OnnxNetworkOptions.Logits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelThatOnnxRuntimeRefusesShouldBeNamedByItsOwnPathNotTheCutsTemporaryFile()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(SlabbedModel()));
        model.Graph.Node[0].OpType = "NoSuchOperator";
        var broken = Path.Combine(_dir, "broken.onnx");
        File.WriteAllBytes(broken, Google.Protobuf.MessageExtensions.ToByteArray(model));

        var ex = Assert.Throws<SegmentationException>(() => OnnxSegmentationNetwork.Load(broken, new OnnxNetworkOptions { IntraOpThreads = 1 }));

        Assert.Equal(SegmentationErrorReason.InvalidModel, ex.Reason);
        Assert.StartsWith(broken + ": not a loadable ONNX model", ex.Message, StringComparison.Ordinal);
    }

    private string SlabbedModel()
    {
        var path = Path.Combine(_dir, "w2.onnx");
        if (!File.Exists(path))
            VNetModelBuilder.Write(RandomWeights.Create(VNetArchitecture.Spine(2), 4, perturbNormalization: true), path, new VNetBuildOptions { Grid = Grid, TailSlabs = 3 });
        return path;
    }
}
