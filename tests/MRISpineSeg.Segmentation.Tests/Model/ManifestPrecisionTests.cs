using MRISpineSeg.Segmentation.Model;

namespace MRISpineSeg.Segmentation.Tests.Model;

public sealed class ManifestPrecisionTests
{
    private static readonly ModelManifest Fp32 = new()
    {
        ModelId = "m",
        ClassNames = SpineClasses.For(20, ClassNaming.Auto),
        WeightsSha256 = new string('a', 64),
    };

    [Fact]
    public void Int8ManifestShouldRoundTripPrecisionAndCalibration()
    {
        var int8 = Fp32 with { Precision = ModelManifest.Int8, Calibration = new CalibrationRecord(8, new string('b', 64)) };

        var json = ManifestCodec.ToJson(int8);
        var back = ManifestCodec.FromJson(json, "m.onnx");

        Assert.Contains("\"precision\":\"int8\",\"calibration\":{\"scans\":8,\"sha256\":\"bbbb", json, StringComparison.Ordinal);
        Assert.True(back.IsInt8);
        Assert.Equal(int8.Calibration, back.Calibration);
    }

    [Fact]
    public void Fp32ManifestShouldWriteNeitherFieldAndReadAsFp32()
    {
        var json = ManifestCodec.ToJson(Fp32);
        var back = ManifestCodec.FromJson(json, "m.onnx");

        Assert.DoesNotContain("precision", json, StringComparison.Ordinal);
        Assert.Equal(ModelManifest.Float32, back.Precision);
        Assert.Null(back.Calibration);
    }

    [Theory]
    [InlineData("\"precision\":\"int4\"", "precision: \"int4\" is not fp32 or int8")]
    [InlineData("\"precision\":\"int8\"", "calibration: an int8 model has one")]
    [InlineData("\"precision\":\"int8\",\"calibration\":{\"scans\":0,\"sha256\":\"x\"}", "calibration: expected {\"scans\": n >= 1")]
    public void BadPrecisionFieldsShouldBeRefusedNamingTheField(string fields, string problem)
    {
        var json = ManifestCodec.ToJson(Fp32).TrimEnd('}') + "," + fields + "}";

        var ex = Assert.Throws<SegmentationException>(() => ManifestCodec.FromJson(json, "m.onnx"));
        Assert.Equal(SegmentationErrorReason.InvalidManifest, ex.Reason);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }
}
