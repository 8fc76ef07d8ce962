using System.Runtime.InteropServices;
using Google.Protobuf;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>
/// A model file written by <c>spineseg model build</c>, read back: its ONNX graph, manifest, architecture and Paddle's
/// state_dict (the file's initializers are Paddle's tensors under Paddle's keys, in Paddle's element order). Other forms
/// of the network (the native 3-D form, the int8 form) are built from these.
/// </summary>
internal sealed record BuiltVNetFile(ModelProto Model, IReadOnlyDictionary<string, string> Metadata, ModelManifest Manifest, VNetArchitecture Architecture, WeightSet Weights)
{
    /// <summary>
    /// Reads <paramref name="path"/> (and its <paramref name="manifest"/>, whenever it has one); false with <paramref name="why"/> (one clause, no path) when it is not a
    /// fp32 VNet from <c>model build</c>: not ONNX, another architecture, an int8 model, or initializers that are not
    /// Paddle's VNet state_dict. Throws InvalidManifest when the manifest itself is bad.
    /// </summary>
    public static bool TryRead(string path, out BuiltVNetFile? file, out ModelManifest? manifest, out string? why)
    {
        file = null;
        manifest = null;
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException ex)
        {
            why = $"not an ONNX model ({ex.Message})";
            return false;
        }

        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        manifest = ManifestCodec.FromMetadata(metadata, path);
        if (!string.Equals(manifest.Architecture, "vnet", StringComparison.Ordinal))
        {
            why = $"only VNet models built by 'spineseg model build' are supported; this model's architecture is '{manifest.Architecture}'";
            return false;
        }

        if (manifest.IsInt8)
        {
            why = "the model is int8 (made by 'spineseg model quantize'): it runs on the CPU only, and it does not hold the fp32 Paddle weights other forms are built from; use the fp32 file it was quantized from";
            return false;
        }

        var activation = manifest.Activation == "elu" ? VNetActivation.Elu : VNetActivation.PRelu;
        var arch = VNetArchitecture.Spine(manifest.Width, manifest.NumClasses, activation);
        var stored = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var tensors = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (var spec in arch.Parameters())
        {
            if (!stored.TryGetValue(spec.Name, out var t) || t.DataType != (int)TensorProto.Types.DataType.Float || !TryFloats(t, spec.Count, out var data))
            {
                why = $"initializer '{spec.Name}' ({ParameterSpec.FormatShape(spec.Shape)}, float32) is missing or malformed, so the file is not a 'spineseg model build' VNet (only those are supported)";
                return false;
            }

            // Stored shapes differ only where the CPU form needs them to (PReLU slopes as [C,1,1]); the element order is Paddle's.
            tensors[spec.Name] = new WeightTensor(spec.Name, spec.Shape, data);
        }

        file = new BuiltVNetFile(model, metadata, manifest, arch, new WeightSet(tensors, manifest.WeightsSha256, path));
        why = null;
        return true;
    }

    private static bool TryFloats(TensorProto t, long count, out float[] data)
    {
        if (t.RawData.Length == count * sizeof(float))
        {
            data = MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
            return true;
        }

        if (t.FloatData.Count == count)
        {
            data = [.. t.FloatData];
            return true;
        }

        data = [];
        return false;
    }
}
