using System.Security.Cryptography;
using Google.Protobuf;
using MRISpineSeg.Imaging.IO;
using MRISpineSeg.Imaging.Volumes;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.Onnx;
using MRISpineSeg.Segmentation.Model.Onnx.Proto;
using DataType = MRISpineSeg.Segmentation.Model.Onnx.Proto.TensorProto.Types.DataType;

namespace MRISpineSeg.Segmentation.Model.Import;

/// <summary>
/// Wraps an ONNX segmentation model exported elsewhere (PyTorch's <c>torch.onnx.export</c>, Paddle2ONNX, nnU-Net or
/// MONAI exports) with this pipeline's manifest, so segment, folders, the worker, stats and preview run it as they run
/// a built model. What the graph must have (<see cref="SegmentationGraph"/>):
/// <list type="bullet">
/// <item>one float32 input of rank 5, [1,1,X,Y,Z] in NIfTI axis order (z fastest), each extent fixed to the grid's
/// or dynamic (then fixed to it here, so ONNX Runtime plans memory once);</item>
/// <item>a float32 logits output [1,C,X,Y,Z] (the only output, or the one named <c>logits</c>), C the class count;
/// it is exposed as <c>logits</c> and, unless the graph has one, a <c>labels</c> output (ArgMax over C, Cast to uint8) is added.</item>
/// </list>
/// The manifest's weights hash is the SHA-256 of the imported file's bytes. The wrapped model is loaded once in ONNX
/// Runtime before it is moved into place, so a graph the runtime cannot run is refused here, not at the first scan.
/// </summary>
public static class ModelImporter
{
    /// <exception cref="SegmentationException">InvalidModel (not ONNX, or not loadable), ModelMismatch (inputs, outputs, rank, classes or grid that do not fit), naming the file and the problem.</exception>
    public static ModelManifest Import(string inPath, string outPath, ImportOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(inPath);
        ArgumentException.ThrowIfNullOrEmpty(outPath);
        ArgumentNullException.ThrowIfNull(options);
        var model = OnnxModelInfo.Parse(inPath);
        var graph = model.Graph;
        var g = options.Grid;
        var input = TheInput(graph, inPath);
        FixDims(input, [1, 1, g.X, g.Y, g.Z], inPath, $"input '{input.Name}'", "[1,1,X,Y,Z]");

        var logits = TheLogits(graph, inPath);
        var classes = Dim(logits, 1);
        if (classes <= 0 && options.ClassNames is null)
            throw Mismatch(inPath, $"output '{logits.Name}' has a dynamic class axis, so the class count is unknown; name the classes with --classes");
        var names = options.ClassNames ?? SpineNames(classes, inPath);
        if (classes > 0 && classes != names.Count)
            throw Mismatch(inPath, $"output '{logits.Name}' has {classes} classes (dimension 1 of [{Dims(logits)}]) but {names.Count} class names were given; give one name per class");
        if (names.Count is < 2 or > ModelManifest.MaxClasses)
            throw Mismatch(inPath, $"{names.Count} classes; a model needs 2..{ModelManifest.MaxClasses} (labels are bytes)");
        FixDims(logits, [1, names.Count, g.X, g.Y, g.Z], inPath, $"output '{logits.Name}'", "[1,C,X,Y,Z]");

        var writer = new OnnxGraphWriter(graph);
        if (logits.Name != SegmentationGraph.LogitsName)
        {
            writer.Node("Identity", SegmentationGraph.LogitsName + ".identity", [logits.Name], output: SegmentationGraph.LogitsName);
            graph.Output.Remove(logits);
            logits.Name = SegmentationGraph.LogitsName;
            graph.Output.Add(logits);
        }

        if (!graph.Output.Any(o => o.Name == SegmentationGraph.LabelsName))
        {
            SegmentationGraph.AddLabels(writer, SegmentationGraph.LogitsName);
            writer.AddOutput(SegmentationGraph.LabelsName, DataType.Uint8, [1, g.X, g.Y, g.Z]);
        }

        var manifest = new ModelManifest
        {
            ModelId = options.ModelId ?? "external-" + Path.GetFileNameWithoutExtension(inPath),
            Architecture = "external",
            Width = 0,
            Activation = "unknown",
            NumClasses = names.Count,
            ClassNames = names,
            InputGrid = g,
            Orientation = options.Orientation,
            ClipMax = options.ClipMax,
            WeightsSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(inPath))),
        };
        var old = model.MetadataProps.Where(p => p.Key == ManifestCodec.MetadataKey).ToList();
        foreach (var p in old) model.MetadataProps.Remove(p);
        model.MetadataProps.Add(new StringStringEntryProto { Key = ManifestCodec.MetadataKey, Value = ManifestCodec.ToJson(manifest) });

        // Load once where the output will live, then move it into place: a graph ORT cannot run never lands at --out.
        var staging = outPath + ".importing";
        AtomicFile.Write(staging, model.WriteTo);
        try
        {
            OnnxSegmentationNetwork.Load(staging, new OnnxNetworkOptions { IntraOpThreads = 1 }).Dispose();
            File.Move(staging, outPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(staging)) File.Delete(staging);
        }

        return manifest;
    }

    private static ValueInfoProto TheInput(GraphProto graph, string path)
    {
        // Older exporters list the initializers among the graph inputs; only the others are fed.
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (inputs.Count != 1)
            throw Mismatch(path, $"the graph has {inputs.Count} inputs ({string.Join(", ", inputs.Select(Describe))}); the pipeline feeds exactly one, float32 [1,1,X,Y,Z]");
        return inputs[0];
    }

    private static ValueInfoProto TheLogits(GraphProto graph, string path)
    {
        var named = graph.Output.FirstOrDefault(o => o.Name == SegmentationGraph.LogitsName);
        if (named is null && graph.Output.Count(o => o.Name != SegmentationGraph.LabelsName) != 1)
            throw Mismatch(path, $"the graph has outputs {string.Join(", ", graph.Output.Select(Describe))}; give it one float32 output [1,C,X,Y,Z] or name the logits 'logits'");
        return named ?? graph.Output.First(o => o.Name != SegmentationGraph.LabelsName);
    }

    /// <summary>Checks element type, rank and every fixed extent against <paramref name="want"/>; sets the dynamic ones to it.</summary>
    private static void FixDims(ValueInfoProto v, long[] want, string path, string what, string layout)
    {
        var t = v.Type?.TensorType;
        if (t is null || t.ElemType != (int)DataType.Float)
            throw Mismatch(path, $"{what} is {Describe(v)}; it must be float32 {layout}");
        t.Shape ??= new TensorShapeProto();
        if (t.Shape.Dim.Count != want.Length)
            throw Mismatch(path, $"{what} has rank {t.Shape.Dim.Count} ([{Dims(v)}]); it must have rank {want.Length}, {layout} in NIfTI axis order");
        for (var i = 0; i < want.Length; i++)
        {
            var d = t.Shape.Dim[i];
            if (d.HasDimValue && d.DimValue > 0 && d.DimValue != want[i])
                throw Mismatch(path, $"{what} is [{Dims(v)}] but --grid and the classes need [{string.Join(",", want)}] ({layout}); fixed extents must agree with the grid");
        }

        for (var i = 0; i < want.Length; i++) t.Shape.Dim[i] = new TensorShapeProto.Types.Dimension { DimValue = want[i] };
    }

    private static IReadOnlyList<string> SpineNames(long classes, string path)
        => classes <= SpineClasses.Names.Count
            ? SpineClasses.For((int)classes, ClassNaming.Spine)
            : throw Mismatch(path, $"the logits have {classes} classes, more than the MRSpineSeg table's {SpineClasses.Names.Count}; name them with --classes");

    private static long Dim(ValueInfoProto v, int axis)
        => v.Type?.TensorType?.Shape is { } s && s.Dim.Count > axis && s.Dim[axis].HasDimValue ? s.Dim[axis].DimValue : -1;

    private static string Dims(ValueInfoProto v)
        => string.Join(",", v.Type?.TensorType?.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : (d.DimParam is { Length: > 0 } p ? p : "?")) ?? []);

    private static string Describe(ValueInfoProto v)
    {
        var t = v.Type?.TensorType;
        var type = t is null ? "non-tensor" : Enum.IsDefined(typeof(DataType), t.ElemType) ? ((DataType)t.ElemType).ToString().ToLowerInvariant() : t.ElemType.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"'{v.Name}' {type} [{Dims(v)}]";
    }

    private static SegmentationException Mismatch(string path, string message) => new(SegmentationErrorReason.ModelMismatch, $"{path}: {message}");
}
