using System.Text.Json;
using System.Text.Json.Serialization;

namespace MRISpineSeg.Imaging.IO;

/// <summary>
/// The one guard between floating-point results and JSON: NaN and ±Infinity are not JSON numbers (System.Text.Json
/// throws on them, which once turned a scan with a NaN voxel size into five failed deliveries), so every product
/// writer sends its doubles through here, and a non-finite value is written as <c>null</c>: "no number", which is what
/// it means. Writers built on <see cref="Utf8JsonWriter"/> call <see cref="Write"/>/<see cref="WriteValue"/>;
/// serializer-based ones add <see cref="Converters"/>.
/// </summary>
public static class FiniteJson
{
    /// <summary>Converters for <see cref="double"/> and <see cref="float"/> properties (nullable ones included) that write non-finite values as null.</summary>
    public static IReadOnlyList<JsonConverter> Converters { get; } = [new DoubleConverter(), new FloatConverter()];

    public static void Write(Utf8JsonWriter writer, string name, double? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(name);
        WriteValue(writer, value);
    }

    public static void WriteValue(Utf8JsonWriter writer, double? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v && double.IsFinite(v)) writer.WriteNumberValue(v);
        else writer.WriteNullValue();
    }

    /// <summary>Adds <see cref="Converters"/> to serializer options (before they are first used).</summary>
    public static JsonSerializerOptions WithFiniteNumbers(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var c in Converters) options.Converters.Add(c);
        return options;
    }

    private sealed class DoubleConverter : JsonConverter<double>
    {
        public override bool HandleNull => false;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => WriteValue(writer, value);
    }

    private sealed class FloatConverter : JsonConverter<float>
    {
        public override bool HandleNull => false;

        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.Null ? float.NaN : reader.GetSingle();

        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options) => WriteValue(writer, value);
    }
}
