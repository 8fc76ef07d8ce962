using Google.Protobuf;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;

namespace MRISpineSeg.Segmentation.Model.Onnx;

/// <summary>What <c>spineseg model info</c> shows: the file's ONNX header, graph I/O, parameter count and manifest.</summary>
public sealed record OnnxModelInfo(
    long IrVersion,
    long Opset,
    string Producer,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    int NodeCount,
    int InitializerCount,
    long ParameterCount,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>
    /// Parses the model file (without creating an inference session). Throws <see cref="SegmentationException"/>:
    /// ModelNotFound, InvalidModel (empty, or not an ONNX protobuf).
    /// </summary>
    public static OnnxModelInfo Read(string path)
    {
        var model = Parse(path);
        long parameters = 0;
        foreach (var t in model.Graph.Initializer)
        {
            long n = 1;
            foreach (var d in t.Dims) n *= d;
            if (t.DataType == (int)TensorProto.Types.DataType.Float) parameters += n;
        }

        var opset = model.OpsetImport.FirstOrDefault(o => string.IsNullOrEmpty(o.Domain))?.Version ?? 0;
        return new OnnxModelInfo(
            model.IrVersion,
            opset,
            $"{model.ProducerName} {model.ProducerVersion}".Trim(),
            model.Graph.Input.Select(Describe).ToArray(),
            model.Graph.Output.Select(Describe).ToArray(),
            model.Graph.Node.Count,
            model.Graph.Initializer.Count,
            parameters,
            model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    /// <summary>
    /// Parses a model file. Throws <see cref="SegmentationException"/>: ModelNotFound, InvalidModel (empty, or not an ONNX
    /// protobuf with a graph and an ir_version).
    /// </summary>
    internal static ModelProto Parse(string path)
    {
        if (!File.Exists(path))
            throw new SegmentationException(SegmentationErrorReason.ModelNotFound, $"{path}: the model file does not exist");
        ModelProto model;
        using (var fs = File.OpenRead(path))
        {
            if (fs.Length == 0) throw new SegmentationException(SegmentationErrorReason.InvalidModel, $"{path}: the model file is empty; expected an ONNX model");
            try
            {
                model = ModelProto.Parser.ParseFrom(fs);
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new SegmentationException(SegmentationErrorReason.InvalidModel, $"{path}: not an ONNX model (protobuf parse failed: {ex.Message})", ex);
            }
        }

        if (model.Graph is null || model.IrVersion <= 0)
            throw new SegmentationException(SegmentationErrorReason.InvalidModel, $"{path}: not an ONNX model (no graph or ir_version)");
        return model;
    }

    private static string Describe(ValueInfoProto v)
    {
        var t = v.Type?.TensorType;
        if (t is null) return v.Name;
        var type = Enum.IsDefined(typeof(TensorProto.Types.DataType), t.ElemType) ? ((TensorProto.Types.DataType)t.ElemType).ToString().ToLowerInvariant() : t.ElemType.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var dims = t.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.DimParam) ?? [];
        return $"{v.Name} {type} [{string.Join(",", dims)}]";
    }
}
