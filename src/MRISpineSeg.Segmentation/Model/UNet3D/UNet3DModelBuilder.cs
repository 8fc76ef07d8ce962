using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Segmentation.Model.UNet3D;

/// <summary>Turns a UNet3D state_dict into a self-describing ONNX model file: graph + weights + manifest.</summary>
public static class UNet3DModelBuilder
{
    /// <summary>
    /// Infers the base filters and classes from <paramref name="weights"/>, checks every key and shape and the grid
    /// rule, builds the graph and writes <paramref name="outPath"/> atomically.
    /// </summary>
    public static ModelManifest Write(WeightSet weights, string outPath, UNet3DBuildOptions? options = null)
    {
        options ??= new UNet3DBuildOptions();
        var arch = UNet3DArchitecture.Infer(weights);
        arch.Validate(weights);
        var manifest = CreateManifest(arch, weights, options);
        ModelFile.Write(outPath, manifest, metadata => UNet3DGraphBuilder.Build(arch, weights, options.Grid, metadata));
        return manifest;
    }

    public static ModelManifest CreateManifest(UNet3DArchitecture arch, WeightSet weights, UNet3DBuildOptions options)
    {
        var random = weights.Source.StartsWith("random-seed:", StringComparison.Ordinal);
        return new ModelManifest
        {
            ModelId = options.ModelId ?? $"unet3d-b{arch.BaseFilters}{(random ? "-random" : string.Empty)}",
            Architecture = "unet3d",
            Width = arch.BaseFilters,
            Activation = "leaky_relu",
            NumClasses = arch.NumClasses,
            ClassNames = SpineClasses.For(arch.NumClasses, options.ClassNaming),
            InputGrid = options.Grid,
            GridMultiple = UNet3DArchitecture.GridMultiple,
            Orientation = options.Orientation,
            ClipMax = options.ClipMax,
            WeightsSha256 = weights.Sha256,
            TrainingData = options.TrainingData,
            KeepLargestComponent = options.KeepLargestComponent,
            OrderLevels = options.OrderLevels,
        };
    }
}
