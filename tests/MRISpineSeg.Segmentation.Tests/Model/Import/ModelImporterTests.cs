using MRISpineSeg.Imaging;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Model.Import;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.Onnx;
using MRISpineSeg.Segmentation.Outputs;
using MRISpineSeg.Segmentation.Tests.Goldens;

namespace MRISpineSeg.Segmentation.Tests.Model.Import;

/// <summary>Models exported by torch.onnx.export (Goldens/import/make_import_models.py), wrapped and run as the pipeline runs them.</summary>
public sealed class ModelImporterTests : IDisposable
{
    private readonly string _dir = TestFiles.TempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void AnImportedTorchExportShouldGivePyTorchsLogitsAndTheirArgMaxAsLabels()
    {
        var path = Import("tiny_fixed.onnx", new Shape3(16, 16, 16));
        using var net = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { Logits = true, IntraOpThreads = 1 });

        var output = net.Predict(Golden.ReadFloats(Golden.Path("import/tiny_fixed_input.f32")), includeLogits: true);

        var expected = Golden.ReadFloats(Golden.Path("import/tiny_fixed_logits.f32"));
        var maxAbs = expected.Zip(output.Logits!, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxAbs <= 1e-5, $"max |onnx - torch| = {maxAbs}");
        Assert.Equal(NaiveVNet.ArgMax(expected, 20), output.Labels);
        Assert.Equal("external-tiny_fixed", net.Manifest.ModelId);
        Assert.Equal(SpineClasses.Names, net.Manifest.ClassNames);
    }

    [Fact]
    public void TheManifestShouldRecordTheFlagsAndTheSourceFilesHash()
    {
        var path = Path.Combine(_dir, "m.onnx");
        var source = Golden.Path("import/tiny_fixed.onnx");

        var m = ModelImporter.Import(source, path, new ImportOptions { Grid = new Shape3(16, 16, 16), ModelId = "mine", Orientation = "RAS", ClipMax = 1000, ClassNames = SpineClasses.Names });

        var read = ManifestCodec.FromMetadata(OnnxModelInfo.Read(path).Metadata, path);
        Assert.Equal(m, read with { ClassNames = m.ClassNames });
        Assert.Equal(("mine", "RAS", 1000.0, "external"), (read.ModelId, read.Orientation, read.ClipMax, read.Architecture));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(source))), read.WeightsSha256);
    }

    [Fact]
    public async Task ADynamicExportShouldBeFixedToTheGridAndSegmentAScanWithStatsAndPreview()
    {
        var path = Import("tiny_dynamic.onnx", new Shape3(48, 32, 16));
        Assert.Equal(["x float [1,1,48,32,16]"], OnnxModelInfo.Read(path).Inputs);
        using var net = OnnxSegmentationNetwork.Load(path, new OnnxNetworkOptions { Logits = true, IntraOpThreads = 1 });
        var segmenter = new Segmenter(net);

        var result = await segmenter.SegmentFileAsync(Golden.PsrQformScan);
        var outputs = ResultOutputs.Encode(result, "mask.nii.gz");

        var scan = VolumeIO.Read(Golden.PsrQformScan);
        Assert.Equal(scan.Shape, result.Mask.Shape);
        Assert.Equal(result.Mask.Voxels.As<byte>().Data.Count(v => v != 0), result.Stats.Structures.Sum(s => s.VoxelCount));
        Assert.NotEmpty(result.Stats.Structures);
        Assert.Equal("external-tiny_dynamic", result.Stats.ModelId);
        Assert.True(outputs.Preview.Length > 100 && outputs.Preview[1] == (byte)'P', "the preview should be a PNG");
    }

    [Theory]
    [InlineData("make_import_models.py", 16, 16, 16, null, SegmentationErrorReason.InvalidModel, "not an ONNX model")]
    [InlineData("rank4.onnx", 32, 32, 16, null, SegmentationErrorReason.ModelMismatch, "input 'x' has rank 4 ([1,1,32,32]); it must have rank 5")]
    [InlineData("tiny_fixed.onnx", 16, 16, 16, "background,a,b", SegmentationErrorReason.ModelMismatch, "output 'y' has 20 classes (dimension 1 of [1,20,16,16,16]) but 3 class names were given")]
    [InlineData("two_inputs.onnx", 16, 16, 16, null, SegmentationErrorReason.ModelMismatch, "the graph has 2 inputs ('x' float [1,1,16,16,16], 'extra' float [1,1,16,16,16]); the pipeline feeds exactly one")]
    [InlineData("tiny_fixed.onnx", 32, 32, 16, null, SegmentationErrorReason.ModelMismatch, "input 'x' is [1,1,16,16,16] but --grid and the classes need [1,1,32,32,16]")]
    public void AModelThePipelineCannotRunShouldBeRefusedInOneLineAndWriteNothing(string file, int x, int y, int z, string? classes, SegmentationErrorReason reason, string message)
    {
        var outPath = Path.Combine(_dir, "refused.onnx");
        var options = new ImportOptions { Grid = new Shape3(x, y, z), ClassNames = classes?.Split(',') };

        var ex = Assert.Throws<SegmentationException>(() => ModelImporter.Import(Golden.Path("import/" + file), outPath, options));

        Assert.Equal(reason, ex.Reason);
        Assert.Contains(message, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    private string Import(string file, Shape3 grid)
    {
        var path = Path.Combine(_dir, Path.ChangeExtension(file, ".wrapped.onnx"));
        ModelImporter.Import(Golden.Path("import/" + file), path, new ImportOptions { Grid = grid });
        return path;
    }
}
