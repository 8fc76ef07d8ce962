using Google.Protobuf;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;

namespace MRISpineSeg.Segmentation.Model;

/// <summary>Writes a built model: the manifest checked first, then the graph with the manifest in its metadata, atomically.</summary>
internal static class ModelFile
{
    /// <summary>
    /// Checks <paramref name="manifest"/> with the one manifest reader (a model that could not be read is never written,
    /// and no graph is built for it), builds the graph with the manifest as metadata and writes
    /// <paramref name="outPath"/> atomically (a temporary file, then a move).
    /// </summary>
    public static void Write(string outPath, ModelManifest manifest, Func<KeyValuePair<string, string>[], ModelProto> buildGraph)
    {
        var json = ManifestCodec.ToJson(manifest);
        ManifestCodec.FromJson(json, $"model build --out {outPath}");
        var model = buildGraph([new(ManifestCodec.MetadataKey, json)]);
        AtomicFile.Write(outPath, model.WriteTo);
    }
}
