using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Model.VNet;

/// <summary>Turns a state_dict into a self-describing ONNX model file: graph + weights + manifest.</summary>
public static class VNetModelBuilder
{
    /// <summary>
    /// Infers the architecture from <paramref name="weights"/>, checks every key and shape, builds the graph for
    /// <see cref="VNetBuildOptions.Grid"/>, and writes <paramref name="outPath"/> atomically (a temporary file, then a move).
    /// </summary>
    public static ModelManifest Write(WeightSet weights, string outPath, VNetBuildOptions? options = null)
    {
        options ??= new VNetBuildOptions();
        var arch = weights.InferArchitecture();
        WeightValidator.Validate(weights, arch);
        var manifest = CreateManifest(arch, weights, options);
        ModelFile.Write(outPath, manifest, metadata => VNetGraphBuilder.Build(arch, weights, options.Grid, options.TailSlabs, metadata, options.SkipZPadding));

        return manifest;
    }

    public static ModelManifest CreateManifest(VNetArchitecture arch, WeightSet weights, VNetBuildOptions options)
    {
        var act = arch.Activation == VNetActivation.PRelu ? "prelu" : "elu";
        var random = weights.Source.StartsWith("random-seed:", StringComparison.Ordinal);
        return new ModelManifest
        {
            ModelId = options.ModelId ?? $"vnet-w{arch.Width}-{act}{(random ? "-random" : string.Empty)}",
            Architecture = "vnet",
            Orientation = options.Orientation,
            Width = arch.Width,
            Activation = act,
            NumClasses = arch.NumClasses,
            ClassNames = SpineClasses.For(arch.NumClasses, options.ClassNaming),
            InputGrid = options.Grid,
            ClipMax = options.ClipMax,
            WeightsSha256 = weights.Sha256,
            TrainingData = options.TrainingData,
            KeepLargestComponent = options.KeepLargestComponent,
            OrderLevels = options.OrderLevels,
        };
    }
}
