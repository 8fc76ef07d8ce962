using System.CommandLine;
using System.Globalization;
using MRISpineSeg.Imaging.Geometry;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Model.Import;

namespace MRISpineSeg.Cli.Commands;

/// <summary>
/// <c>spineseg model import IN.onnx --out M.onnx --grid X,Y,Z (--spine-labels | --classes N1,N2,…) [--orientation PSR]
/// [--clip 2650] [--model-id ID]</c>: wraps an ONNX model exported elsewhere with the manifest (<see cref="ModelImporter"/>).
/// </summary>
internal static class ModelImportCommand
{
    public static Command Create(CommandIO io)
    {
        var input = new Argument<string>("IN") { Description = "ONNX model exported elsewhere: one float input [1,1,X,Y,Z], logits [1,C,X,Y,Z]." };
        var output = new Option<string>("--out") { Description = "Output ONNX file (.onnx) with the manifest.", Required = true };
        var grid = new Option<string>("--grid") { Description = "Grid X,Y,Z (NIfTI axis order) the model runs at; must agree with the input's fixed extents.", Required = true };
        var spine = new Option<bool>("--spine-labels") { Description = "Class i is MRSpineSeg label i (the table's first C names, C from the logits)." };
        var classes = new Option<string?>("--classes") { Description = "Class names by label value, comma-separated, background first; as many as the logits have channels." };
        var orientation = new Option<string>("--orientation") { Description = "Axis codes of the grid the model was trained on, e.g. PSR (MRSpineSeg) or RAS.", DefaultValueFactory = _ => ModelManifest.DefaultOrientation };
        var clip = new Option<double>("--clip") { Description = "Intensity clip divisor: x = clip(x / CLIP, 0, 1) before resampling (PaddleSeg: 2650).", DefaultValueFactory = _ => 2650 };
        var modelId = new Option<string?>("--model-id") { Description = "Manifest model id (default external-{IN's name})." };
        var cmd = new Command("import", "Wrap an ONNX segmentation model exported elsewhere with the manifest, so the pipeline runs it.") { input, output, grid, spine, classes, orientation, clip, modelId };
        cmd.SetAction(r => io.Guard(() =>
        {
            var inPath = CliParse.ExistingFile(r.GetValue(input)!, "IN");
            var outPath = r.GetValue(output)!;
            if (!outPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                throw new CliUsageException($"--out: \"{outPath}\" must end in .onnx");
            var dir = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
            if (!Directory.Exists(dir)) throw new CliUsageException($"--out: directory \"{dir}\" does not exist");
            if (string.Equals(Path.GetFullPath(outPath), Path.GetFullPath(inPath), StringComparison.Ordinal))
                throw new CliUsageException("--out: the output would overwrite IN; write the wrapped model to another file");
            var names = r.GetValue(classes);
            if (r.GetValue(spine) == (names is not null))
                throw new CliUsageException("give exactly one of --spine-labels (class i is MRSpineSeg label i) or --classes N1,N2,... (one name per logits channel)");
            IReadOnlyList<string>? classNames = null;
            if (names is not null)
            {
                classNames = names.Split(',', StringSplitOptions.TrimEntries);
                if (classNames.Any(n => n.Length == 0))
                    throw new CliUsageException($"--classes: \"{names}\" has an empty name; give one non-empty name per class, background first");
                if (classNames.Count < 2) throw new CliUsageException($"--classes: \"{names}\" names {classNames.Count} class; a model needs at least 2 (background and one structure)");
            }

            var c = r.GetValue(clip);
            if (!(c > 0) || !double.IsFinite(c)) throw new CliUsageException($"--clip: {c.ToString(CultureInfo.InvariantCulture)} must be a positive number (PaddleSeg uses 2650)");
            var options = new ImportOptions
            {
                Grid = CliParse.Shape(r.GetValue(grid), "--grid"),
                ClassNames = classNames,
                ModelId = r.GetValue(modelId) is { } id && !string.IsNullOrWhiteSpace(id) ? id.Trim() : null,
                Orientation = AxisOrientation.TryParse(r.GetValue(orientation), out var problem)?.Code ?? throw new CliUsageException($"--orientation: {problem}"),
                ClipMax = c,
            };
            var m = ModelImporter.Import(inPath, outPath, options);
            io.Out.WriteLine($"wrote {outPath}: {m.ModelId} (external model, {m.NumClasses} classes, grid {m.InputGrid}, orientation {m.Orientation}, clip {m.ClipMax.ToString(CultureInfo.InvariantCulture)}, source sha256 {m.WeightsSha256})");
            return CommandIO.Success;
        }));
        return cmd;
    }
}
