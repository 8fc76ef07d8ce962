using System.Text;
using System.Text.Json;
using MRISpineSeg.Imaging.IO;

namespace MRISpineSeg.Imaging.Tests.IO;

public sealed class FiniteJsonTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteNumbersShouldBeWrittenAsNullByTheWriterHelpers(double value)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            FiniteJson.Write(w, "x", value);
            w.WriteStartArray("a");
            FiniteJson.WriteValue(w, value);
            FiniteJson.WriteValue(w, 1.5);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        Assert.Equal("{\"x\":null,\"a\":[null,1.5]}", Encoding.UTF8.GetString(ms.ToArray()));
    }

    [Fact]
    public void SerializerOptionsWithTheGuardShouldWriteNullForNonFiniteProperties()
    {
        var options = FiniteJson.WithFiniteNumbers(new JsonSerializerOptions());
        var json = JsonSerializer.Serialize(new Sample(double.NaN, double.PositiveInfinity, float.NegativeInfinity, [0.6, double.NaN], 2.5), options);
        Assert.Equal("{\"A\":null,\"B\":null,\"C\":null,\"D\":[0.6,null],\"E\":2.5}", json);
        Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(new Sample(double.NaN, null, 0, [], 0))); // what the guard prevents
    }

    private sealed record Sample(double A, double? B, float C, double[] D, double E);
}
