using System.Globalization;
using System.Text;
using System.Text.Json;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Imaging.Volumes;

namespace MRISpineSeg.Segmentation.Model;

/// <summary>
/// Stores a <see cref="ModelManifest"/> in an ONNX model's <c>metadata_props</c>: one entry, key
/// <see cref="MetadataKey"/>, whose value is a JSON object with snake_case fields and <c>"format": 1</c>.
/// One JSON value (rather than a key per field) keeps the manifest atomic and lets a reader report every bad field.
/// </summary>
public static class ManifestCodec
{
    public const string MetadataKey = "spineseg.manifest";
    public const int FormatVersion = 1;

    public static string ToJson(ModelManifest m)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteNumber("format", FormatVersion);
            w.WriteString("model_id", m.ModelId);
            w.WriteString("architecture", m.Architecture);
            w.WriteNumber("width", m.Width);
            w.WriteString("activation", m.Activation);
            w.WriteNumber("num_classes", m.NumClasses);
            w.WriteStartArray("class_names");
            foreach (var n in m.ClassNames) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteStartArray("input_grid");
            w.WriteNumberValue(m.InputGrid.X);
            w.WriteNumberValue(m.InputGrid.Y);
            w.WriteNumberValue(m.InputGrid.Z);
            w.WriteEndArray();
            if (m.GridMultiple != new Shape3(1, 1, 1))
            {
                w.WriteStartArray("grid_multiple");
                w.WriteNumberValue(m.GridMultiple.X);
                w.WriteNumberValue(m.GridMultiple.Y);
                w.WriteNumberValue(m.GridMultiple.Z);
                w.WriteEndArray();
            }

            Imaging.IO.FiniteJson.Write(w, "clip_max", m.ClipMax);
            w.WriteNumber("image_order", m.ImageOrder);
            w.WriteNumber("label_order", m.LabelOrder);
            w.WriteString("orientation", m.Orientation);
            w.WriteString("layout", m.Layout);
            w.WriteString("weights_sha256", m.WeightsSha256);
            if (m.TrainingData is not null) w.WriteString("training_data", m.TrainingData);
            if (m.KeepLargestComponent) w.WriteBoolean("keep_largest_component", true);
            if (m.OrderLevels) w.WriteBoolean("order_levels", true);
            if (m.IsInt8) w.WriteString("precision", m.Precision);
            if (m.Calibration is { } cal)
            {
                w.WriteStartObject("calibration");
                w.WriteNumber("scans", cal.ScanCount);
                w.WriteString("sha256", cal.Sha256);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>
    /// Reads the manifest from a model's metadata. Throws <see cref="SegmentationException"/> (InvalidManifest) naming
    /// <paramref name="source"/> and every missing or invalid field.
    /// </summary>
    public static ModelManifest FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (!metadata.TryGetValue(MetadataKey, out var json))
        {
            throw new SegmentationException(
                SegmentationErrorReason.InvalidManifest,
                $"{source}: the ONNX model has no '{MetadataKey}' metadata entry; build it with 'spineseg model build' or add a manifest (see 'spineseg model info')");
        }

        return FromJson(json, source);
    }

    public static ModelManifest FromJson(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new SegmentationException(SegmentationErrorReason.InvalidManifest, $"{source}: manifest '{MetadataKey}' is not valid JSON: {ex.Message}", ex);
        }

        using (doc)
        {
            var r = new FieldReader(doc.RootElement);
            var format = r.Int("format", 1, 1);
            var id = r.String("model_id", required: true);
            var arch = r.String("architecture", required: true);
            var width = r.Int("width", 0, 4096);
            var activation = r.String("activation", required: true);
            if (activation is not null && !ModelManifest.Activations.Contains(activation)) r.Problems.Add($"activation: \"{activation}\" is not one of {string.Join(", ", ModelManifest.Activations)}");
            var classes = r.Int("num_classes", 2, ModelManifest.MaxClasses);
            var names = r.StringArray("class_names");
            if (names is not null && names.Length != classes) r.Problems.Add($"class_names: {names.Length} names for num_classes {classes}");
            var grid = r.IntArray("input_grid", 3);
            var multiple = r.OptionalIntArray("grid_multiple", 3) ?? [1, 1, 1];
            if (multiple.Any(v => v <= 0)) r.Problems.Add($"grid_multiple: [{string.Join(",", multiple)}] must be three positive integers");
            var clip = r.Double("clip_max");
            if (clip is <= 0 || double.IsNaN(clip) || double.IsInfinity(clip)) r.Problems.Add($"clip_max: {clip.ToString(CultureInfo.InvariantCulture)} must be a positive number");
            var imageOrder = r.Int("image_order", 0, 1);
            var labelOrder = r.Int("label_order", 0, 0);
            var orientation = r.OptionalString("orientation") ?? ModelManifest.DefaultOrientation;
            if (AxisOrientation.TryParse(orientation, out var orientationProblem) is null) r.Problems.Add($"orientation: {orientationProblem}");
            var layout = r.String("layout", required: true);
            var sha = r.String("weights_sha256", required: true);
            if (sha is not null && (sha.Length != 64 || !sha.All(Uri.IsHexDigit))) r.Problems.Add($"weights_sha256: \"{sha}\" is not 64 hex digits");
            var trainingData = r.OptionalString("training_data");
            if (trainingData is not null && (trainingData.Length == 0 || trainingData.Contains('\n', StringComparison.Ordinal)))
                r.Problems.Add("training_data: must be one non-empty line");
            var keepLargest = r.OptionalBool("keep_largest_component") ?? false;
            var orderLevels = r.OptionalBool("order_levels") ?? false;
            if (orderLevels && classes > ModelManifest.MaxOrderedClasses)
                r.Problems.Add($"order_levels: only for models whose classes are vertebrae from the bottom up with no discs (at most {ModelManifest.MaxOrderedClasses} classes: background, S, L5..T9); this one has {classes}");
            var precision = r.OptionalString("precision") ?? ModelManifest.Float32;
            if (precision is not (ModelManifest.Float32 or ModelManifest.Int8)) r.Problems.Add($"precision: \"{precision}\" is not {ModelManifest.Float32} or {ModelManifest.Int8}");
            var calibration = r.Calibration();
            if ((precision == ModelManifest.Int8) != (calibration is not null)) r.Problems.Add("calibration: an int8 model has one (scans, sha256) and an fp32 model none");
            if (grid is not null && grid.Any(v => v <= 0)) r.Problems.Add($"input_grid: [{string.Join(",", grid)}] must be three positive integers");
            if (r.Problems.Count > 0 || format != FormatVersion)
            {
                throw new SegmentationException(
                    SegmentationErrorReason.InvalidManifest,
                    $"{source}: manifest '{MetadataKey}' is invalid: {string.Join("; ", r.Problems)}");
            }

            return new ModelManifest
            {
                ModelId = id!,
                Architecture = arch!,
                Width = width,
                Activation = activation!,
                NumClasses = classes,
                ClassNames = names!,
                InputGrid = new Shape3(grid![0], grid[1], grid[2]),
                GridMultiple = new Shape3(multiple[0], multiple[1], multiple[2]),
                ClipMax = clip,
                ImageOrder = imageOrder,
                LabelOrder = labelOrder,
                Orientation = orientation.ToUpperInvariant(),
                Layout = layout!,
                WeightsSha256 = sha!,
                TrainingData = trainingData,
                KeepLargestComponent = keepLargest,
                OrderLevels = orderLevels,
                Precision = precision,
                Calibration = calibration,
            };
        }
    }

    /// <summary>Collects every field problem instead of stopping at the first.</summary>
    private sealed class FieldReader(JsonElement root)
    {
        public List<string> Problems { get; } = [];

        public string? String(string name, bool required)
        {
            if (!Get(name, out var e)) return null;
            if (e.ValueKind == JsonValueKind.String && (!required || e.GetString()!.Length > 0)) return e.GetString();
            Problems.Add($"{name}: expected a non-empty string, found {e.ValueKind}");
            return null;
        }

        /// <summary>A field added after format 1 shipped: null when absent, so older models keep their meaning.</summary>
        public string? OptionalString(string name)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var e)) return null;
            if (e.ValueKind == JsonValueKind.String) return e.GetString();
            Problems.Add($"{name}: expected a string, found {e.ValueKind}");
            return null;
        }

        /// <summary>Like <see cref="OptionalString"/>, for true/false fields.</summary>
        public bool? OptionalBool(string name)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var e)) return null;
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False) return e.GetBoolean();
            Problems.Add($"{name}: expected true or false, found {e.GetRawText()}");
            return null;
        }

        /// <summary>The optional <c>calibration</c> object of an int8 model: <c>{"scans": n ≥ 1, "sha256": 64 hex digits}</c>.</summary>
        public CalibrationRecord? Calibration()
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("calibration", out var e)) return null;
            if (e.ValueKind == JsonValueKind.Object
                && e.TryGetProperty("scans", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var scans) && scans >= 1
                && e.TryGetProperty("sha256", out var h) && h.ValueKind == JsonValueKind.String && h.GetString() is { Length: 64 } sha && sha.All(Uri.IsHexDigit))
                return new CalibrationRecord(scans, sha);
            Problems.Add($"calibration: expected {{\"scans\": n >= 1, \"sha256\": 64 hex digits}}, found {e.GetRawText()}");
            return null;
        }

        public int Int(string name, int min, int max)
        {
            if (!Get(name, out var e)) return 0;
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) && v >= min && v <= max) return v;
            Problems.Add($"{name}: {e.GetRawText()} is not an integer in {min}..{max}");
            return 0;
        }

        public double Double(string name)
        {
            if (!Get(name, out var e)) return double.NaN;
            if (e.ValueKind == JsonValueKind.Number) return e.GetDouble();
            Problems.Add($"{name}: {e.GetRawText()} is not a number");
            return double.NaN;
        }

        public string[]? StringArray(string name)
        {
            if (!Get(name, out var e)) return null;
            if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
            {
                Problems.Add($"{name}: expected an array of strings");
                return null;
            }

            return e.EnumerateArray().Select(x => x.GetString()!).ToArray();
        }

        public int[]? IntArray(string name, int length)
        {
            if (!Get(name, out var e)) return null;
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != length || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.Number || !x.TryGetInt32(out _)))
            {
                Problems.Add($"{name}: expected {length} integers, found {e.GetRawText()}");
                return null;
            }

            return e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
        }

        /// <summary>Like <see cref="IntArray"/> for a field added after format 1 shipped: null when absent.</summary>
        public int[]? OptionalIntArray(string name, int length)
            => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out _) ? IntArray(name, length) : null;

        private bool Get(string name, out JsonElement e)
        {
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out e)) return true;
            Problems.Add($"{name}: missing");
            e = default;
            return false;
        }
    }
}
