using Google.Protobuf;

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
    /// The native form of the model at <paramref name="path"/> as ONNX bytes, with the file's manifest (also on failure, when it has one). Returns false
    /// with <paramref name="why"/> when the file was not built by <c>model build</c> (another architecture, an int8
    /// model, or initializers that are not Paddle's VNet state_dict): such a model runs as stored, or not on CUDA.
    /// </summary>
    public static bool TryBuild(string path, NativePrecision precision, out byte[] onnx, out ModelManifest? manifest, out string? why)
    {
        onnx = [];
        if (!BuiltVNetFile.TryRead(path, out var file, out manifest, out why)) return false;
        onnx = VNetNativeGraphBuilder.Build(file!.Architecture, file.Weights, manifest!.InputGrid, precision, file.Metadata).ToByteArray();
        return true;
    }
}
