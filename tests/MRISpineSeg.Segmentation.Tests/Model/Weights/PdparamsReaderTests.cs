using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;
using Razorvine.Pickle;

namespace MRISpineSeg.Segmentation.Tests.Model.Weights;

/// <summary>Goldens: Golden/make_vnet_golden.py (numpy + PyTorch 1.13 re-expression of PaddleSeg's VNet).</summary>
public sealed class PdparamsReaderTests
{
    [Fact]
    public void PaddleWeightsShouldGiveTorchLogitsWithin1e3()
    {
        var weights = PdparamsReader.Read(TestFiles.Golden("vnet_w1.pdparams"));
        var arch = weights.InferArchitecture();
        Assert.Equal((1, 20, VNetActivation.PRelu), (arch.Width, arch.NumClasses, arch.Activation));
        Assert.DoesNotContain("StructuredToParameterName@@", weights.Tensors.Keys);

        var dir = TestFiles.TempDir();
        try
        {
            var path = Path.Combine(dir, "w1.onnx");
            var manifest = VNetModelBuilder.Write(weights, path, new VNetBuildOptions { Grid = new Shape3(16, 16, 12) });
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(TestFiles.Golden("vnet_w1.pdparams")))), manifest.WeightsSha256);
            using var net = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { Logits = true });
            var input = TestFiles.ReadFloats(TestFiles.Golden("vnet_w1_input.f32"));
            var golden = TestFiles.ReadFloats(TestFiles.Golden("vnet_w1_logits.f32"));
            var output = net.Predict(input, includeLogits: true);
            var maxAbs = 0.0;
            for (var i = 0; i < golden.Length; i++) maxAbs = Math.Max(maxAbs, Math.Abs(golden[i] - output.Logits![i]));
            Assert.True(maxAbs <= 1e-3, $"max |onnx - torch| = {maxAbs}");
            Assert.Equal(NaiveVNet.ArgMax(golden, 20).Count(l => l > 0), output.Labels.Count(l => l > 0));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ReaderShouldConvertFloat64BigEndianFortranAndHalfToRowMajorFloat32()
    {
        var set = PdparamsReader.Read(TestFiles.Golden("numpy_variants.pkl"));
        var expected = Enumerable.Range(0, 24).Select(i => i / 8f).ToArray();
        foreach (var key in new[] { "f8", "f4_big", "f4_fortran", "f2" })
        {
            Assert.Equal([2, 3, 4], set[key].Shape);
            Assert.Equal(expected, set[key].Data);
        }
    }

    [Fact]
    public void Numpy2ModuleNameShouldReadTheSame()
    {
        // numpy 2 pickles name numpy._core.multiarray; protocol 2 spells globals as newline-terminated text.
        var bytes = File.ReadAllBytes(TestFiles.Golden("vnet_w1.pdparams"));
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        Assert.Contains("cnumpy.core.multiarray\n_reconstruct", text, StringComparison.Ordinal);
        var numpy2 = System.Text.Encoding.Latin1.GetBytes(text.Replace("cnumpy.core.multiarray\n", "cnumpy._core.multiarray\n", StringComparison.Ordinal));
        var a = PdparamsReader.Read(bytes, "numpy1");
        var b = PdparamsReader.Read(numpy2, "numpy2");
        Assert.Equal(a.Tensors.Keys.Order(), b.Tensors.Keys.Order());
        Assert.Equal(a["up_tr64.ops.0.conv1.weight"].Data, b["up_tr64.ops.0.conv1.weight"].Data);
    }

    [Fact]
    public void MissingUnexpectedAndMisShapedKeysShouldAllBeListedInOneError()
    {
        var arch = VNetArchitecture.Spine(2);
        var good = RandomWeights.Create(arch, 1);
        var tensors = good.Tensors.ToDictionary();
        tensors.Remove("down_tr64.ops.1.bn1._mean");
        tensors.Remove("up_tr32.relu2._weight");
        tensors["extra.layer.weight"] = new WeightTensor("extra.layer.weight", [3], new float[3]);
        tensors["in_tr.bn1.bias"] = new WeightTensor("in_tr.bn1.bias", [3], new float[3]);
        var bad = new WeightSet(tensors, good.Sha256, "bad.pdparams");

        var ex = Assert.Throws<SegmentationException>(() => WeightValidator.Validate(bad, arch));
        Assert.Equal(SegmentationErrorReason.WeightsMismatch, ex.Reason);
        Assert.False(ex.IsTransient);
        Assert.Contains("bad.pdparams", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2 missing: down_tr64.ops.1.bn1._mean, up_tr32.relu2._weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 unexpected: extra.layer.weight", ex.Message, StringComparison.Ordinal);
        Assert.Contains("in_tr.bn1.bias is [3], expected [2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileShouldBeRefusedAsEmpty()
    {
        var ex = Assert.Throws<SegmentationException>(() => PdparamsReader.Read([], "empty.pdparams"));
        Assert.Equal(SegmentationErrorReason.InvalidWeights, ex.Reason);
        Assert.Contains("empty.pdparams: the file is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextFileShouldBeRefusedAsNotAPickle()
    {
        var ex = Assert.Throws<SegmentationException>(() => PdparamsReader.Read("model: vnet\n"u8.ToArray(), "config.yml"));
        Assert.Equal(SegmentationErrorReason.InvalidWeights, ex.Reason);
        Assert.Contains("not a Python pickle", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedPickleShouldBeRefused()
    {
        var bytes = File.ReadAllBytes(TestFiles.Golden("vnet_w1.pdparams"));
        var ex = Assert.Throws<SegmentationException>(() => PdparamsReader.Read(bytes[..(bytes.Length / 2)], "half.pdparams"));
        Assert.Equal(SegmentationErrorReason.InvalidWeights, ex.Reason);
        Assert.Contains("half.pdparams: the pickle cannot be read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PickleOfSomethingOtherThanADictShouldBeRefused()
    {
        using var pickler = new Pickler();
        var ex = Assert.Throws<SegmentationException>(() => PdparamsReader.Read(pickler.dumps(new[] { 1, 2, 3 }), "list.pdparams"));
        Assert.Contains("not a dict", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DictOfNonArraysShouldNameTheKeys()
    {
        using var pickler = new Pickler();
        var dict = new Dictionary<string, object> { ["in_tr.conv1.weight"] = "oops", ["n"] = 3 };
        var ex = Assert.Throws<SegmentationException>(() => PdparamsReader.Read(pickler.dumps(dict), "odd.pdparams"));
        Assert.Contains("'in_tr.conv1.weight' is a String, not a numpy array", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'n' is a Int32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileShouldBeNamed()
    {
        var ex = Assert.Throws<SegmentationException>(() => PdparamsReader.Read("/nonexistent/model.pdparams"));
        Assert.Contains("/nonexistent/model.pdparams: the weights file does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightsWithoutAnchorKeysShouldSayTheArchitectureCannotBeInferred()
    {
        var set = new WeightSet(new Dictionary<string, WeightTensor>(), new string('0', 64), "x.pdparams");
        var ex = Assert.Throws<SegmentationException>(set.InferArchitecture);
        Assert.Equal(SegmentationErrorReason.WeightsMismatch, ex.Reason);
        Assert.Contains("in_tr.conv1.weight' is missing", ex.Message, StringComparison.Ordinal);
    }
}
