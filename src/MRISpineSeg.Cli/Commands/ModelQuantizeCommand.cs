using System.CommandLine;
using MRISpineSeg.Segmentation.Model.Quantization;

namespace MRISpineSeg.Cli.Commands;

/// <summary>
/// <c>spineseg model quantize IN.onnx --calibration DIR --out OUT.onnx [--threads N] [--tail-slabs N] [--model-id ID]</c>: the int8
/// form of a model built by <c>spineseg model build</c>, calibrated on the scans in DIR (<see cref="ModelQuantizer"/>).
/// </summary>
internal static class ModelQuantizeCommand
{
    public static Command Create(CommandIO io)
    {
        var model = new Argument<string>("IN") { Description = "fp32 VNet model built by 'spineseg model build' (.onnx)." };
        var calibration = new Option<string>("--calibration") { Description = "Folder of scans (.nii, .nii.gz, .mha, .mhd; mask_* ignored) to measure activation ranges on: scans like the ones to be segmented, never held-out test scans.", Required = true };
        var output = new Option<string>("--out") { Description = "Output int8 ONNX file (.onnx).", Required = true };
        var threads = CliParse.ThreadsOption("Intra-op threads for the fp32 calibration runs.", defaultValue: 2);
        var slabs = new Option<int>("--tail-slabs") { Description = "Run the full-resolution tail in this many x-slabs (lower peak memory, same labels; 1 = whole).", DefaultValueFactory = _ => QuantizeOptions.DefaultTailSlabs };
        var modelId = new Option<string?>("--model-id") { Description = "Manifest model id of the int8 model (default: the fp32 model's id plus -int8)." };
        var cmd = new Command("quantize", "Write the int8 (u8 activations, s8 per-channel weights) CPU form of a 'model build' VNet, calibrated on a folder of scans.") { model, calibration, output, threads, slabs, modelId };
        cmd.SetAction((r, ct) => io.GuardAsync(async () =>
        {
            var outPath = r.GetValue(output)!;
            if (!outPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                throw new CliUsageException($"--out: \"{outPath}\" must end in .onnx");
            var dir = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
            if (!Directory.Exists(dir)) throw new CliUsageException($"--out: directory \"{dir}\" does not exist");
            var input = CliParse.ExistingFile(r.GetValue(model)!, "IN");
            if (string.Equals(Path.GetFullPath(input), Path.GetFullPath(outPath), StringComparison.Ordinal))
                throw new CliUsageException("--out: is the input model itself; write the int8 model to another file");
            var options = new QuantizeOptions
            {
                Threads = r.GetValue(threads),
                TailSlabs = r.GetValue(slabs) is var n and >= 1 and <= 64 ? n : throw new CliUsageException($"--tail-slabs: {r.GetValue(slabs)} must be 1..64"),
                ModelId = r.GetValue(modelId) is { } id && !string.IsNullOrWhiteSpace(id) ? id : null,
                Progress = new Progress<string>(line => io.Error.WriteLine(line)),
            };
            var result = await ModelQuantizer.QuantizeAsync(input, r.GetValue(calibration)!, outPath, options, ct).ConfigureAwait(false);
            foreach (var w in result.Warnings) io.Error.WriteLine($"warning: {w}");
            var m = result.Manifest;
            io.Out.WriteLine($"wrote {outPath}: {m.ModelId} (int8, vnet width {m.Width}, grid {m.InputGrid}, calibrated on {m.Calibration!.ScanCount} scan(s), sha256 {m.Calibration.Sha256})");
            return CommandIO.Success;
        }));
        return cmd;
    }
}
