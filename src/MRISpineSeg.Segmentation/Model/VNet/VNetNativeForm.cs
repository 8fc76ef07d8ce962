using System.Runtime.InteropServices;
using Google.Protobuf;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>
/// Builds the native 3-D form (<see cref="VNetNativeGraphBuilder"/>) of a model file written by <c>spineseg model build</c>,
/// in memory, when a session needs it. Why at load and not stored: the file's initializers are Paddle's state_dict
/// under Paddle's keys and shapes (the CPU form derives its per-tap weights from them inside the graph), so the file
/// already holds everything the other form needs; a second stored copy would double a 183 MB file and could drift from
/// the first. Rebuilding costs one parse of the file and a few hundred milliseconds of weight folding.
/// </summary>
internal static class VNetNativeForm
{
    /// <summary>
    /// The native form of the model at <paramref name="path"/> as ONNX bytes, with the file's manifest. Returns false
    /// with <paramref name="why"/> when the file was not built by <c>model build</c> (another architecture, or
    /// initializers that are not Paddle's VNet state_dict): such a model runs as stored.
    /// </summary>
    public static bool TryBuild(string path, NativePrecision precision, out byte[] onnx, out ModelManifest? manifest, out string? why)
    {
        onnx = [];
        manifest = null;
        ModelProto model;
        try
        {
            using var file = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(file);
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
            why = $"the native 3-D form is built for VNet models from 'spineseg model build'; this model's architecture is '{manifest.Architecture}'";
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
                why = $"initializer '{spec.Name}' ({ParameterSpec.FormatShape(spec.Shape)}, float32) is missing or malformed, so the file is not a 'spineseg model build' VNet";
                return false;
            }

            // Stored shapes differ only where the CPU form needs them to (PReLU slopes as [C,1,1]); the element order is Paddle's.
            tensors[spec.Name] = new WeightTensor(spec.Name, spec.Shape, data);
        }

        var weights = new WeightSet(tensors, manifest.WeightsSha256, path);
        onnx = VNetNativeGraphBuilder.Build(arch, weights, manifest.InputGrid, precision, metadata).ToByteArray();
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
