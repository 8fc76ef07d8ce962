using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Model.UNet3D;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Cli.Commands;

/// <summary><c>spineseg model build --arch unet3d</c>: the UNet3D half of <see cref="ModelCommand"/>'s build verb.</summary>
internal static class UNet3DBuildVerb
{
    public static int Write(CommandIO io, string outPath, string? weightsPath, long? randomSeed, int? baseFilters, int? classes, UNet3DBuildOptions options)
    {
        if (weightsPath is not null && (baseFilters is not null || classes is not null))
            throw new CliUsageException("--base-filters and --classes apply to --random-seed only; with --weights they are inferred from the weights");
        if (GridRule.Problem(options.Grid, UNet3DArchitecture.GridMultiple) is { } problem)
            throw new CliUsageException($"--grid: {problem} (UNet3D halves every axis four times)");
        WeightSet set;
        if (weightsPath is not null)
        {
            set = PdparamsReader.Read(CliParse.ExistingFile(weightsPath, "--weights"));
        }
        else
        {
            var b = baseFilters ?? 8;
            var c = classes ?? 20;
            if (b is < 1 or > UNet3DArchitecture.MaxBaseFilters) throw new CliUsageException($"--base-filters: {b} must be 1..{UNet3DArchitecture.MaxBaseFilters} (PaddleSeg uses 8)");
            if (c is < 2 or > ModelManifest.MaxClasses) throw new CliUsageException($"--classes: {c} must be 2..{ModelManifest.MaxClasses}");
            set = RandomWeights.Create(UNet3DArchitecture.Create(b, c).Parameters(), (ulong)randomSeed!.Value);
        }

        var arch = UNet3DArchitecture.Infer(set);
        if (options.ClassNaming == ClassNaming.Spine && arch.NumClasses > SpineClasses.Names.Count)
            throw new CliUsageException($"--class-names spine: the weights have {arch.NumClasses} classes, more than the MRSpineSeg table's {SpineClasses.Names.Count}; use generic");
        var m = UNet3DModelBuilder.Write(set, outPath, options);
        io.Out.WriteLine($"wrote {outPath}: {m.ModelId} (unet3d base filters {m.Width}, {m.NumClasses} classes, {arch.ParameterCount():N0} parameters, grid {m.InputGrid}, orientation {m.Orientation}, weights sha256 {m.WeightsSha256})");
        return CommandIO.Success;
    }
}
