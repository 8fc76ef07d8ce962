using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MRISpineSeg.Segmentation;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Stats;

namespace MRISpineSeg.Cli.Commands;

/// <summary>
/// <c>spineseg segment IN OUT [--model M.onnx] [--preview P.png] [--stats S.json] [--threads N] [--device cpu|cuda]</c>:
/// one scan through the VNet to a uint8 mask on the scan's own grid. On a terminal each stage is shown with its time;
/// otherwise a single summary line is printed.
/// </summary>
internal static class SegmentCommand
{
    public static Command Create(CommandIO io)
    {
        var input = new Argument<string>("IN") { Description = "Scan (.nii, .nii.gz, .mha, .mhd)." };
        var output = new Argument<string>("OUT") { Description = "Mask to write (.nii, .nii.gz, .mha, .mhd): uint8 labels on the scan's grid." };
        var model = new Option<string?>("--model") { Description = $"ONNX model with a manifest (default: ${ModelLocator.EnvironmentVariable}, else {ModelLocator.DefaultRelativePath} here or in a parent directory, or next to spineseg)." };
        var preview = new Option<string?>("--preview") { Description = "Write a PNG of the mid-sagittal slice with the mask overlaid and a legend." };
        var stats = new Option<string?>("--stats") { Description = "Write JSON: model id, time per stage, and per structure its label, name, voxel count and volume in mm^3." };
        var threads = new Option<int?>("--threads") { Description = "Threads for inference (default: all cores)." };
        var device = new Option<string>("--device") { Description = "cpu or cuda (cuda falls back to cpu, with a warning, when the CUDA provider is absent).", DefaultValueFactory = _ => "cpu" };
        var cmd = new Command("segment", "Segment a lumbar-spine MR scan into the 19 MRSpineSeg structures.") { input, output, model, preview, stats, threads, device };
        cmd.SetAction((r, ct) => io.GuardAsync(async () =>
        {
            var inPath = CliParse.ExistingFile(r.GetValue(input)!, "IN");
            var outPath = CliParse.OutputVolume(r.GetValue(output)!);
            var previewPath = r.GetValue(preview);
            if (previewPath is not null && !previewPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                throw new CliUsageException($"--preview: \"{previewPath}\" must end in .png");
            var statsPath = r.GetValue(stats);
            var options = new OnnxNetworkOptions { Device = Device(r.GetValue(device)), IntraOpThreads = Threads(r.GetValue(threads)) };
            var modelPath = ModelLocator.Resolve(r.GetValue(model), Environment.GetEnvironmentVariable(ModelLocator.EnvironmentVariable), Environment.CurrentDirectory, AppContext.BaseDirectory);

            var interactive = io.IsInteractive;
            var loadStarted = Stopwatch.GetTimestamp();
            using var network = OnnxSegmentationNetwork.Load(modelPath, options);
            var load = Stopwatch.GetElapsedTime(loadStarted);
            if (options.Device == ExecutionDevice.Cuda && network.ExecutionProvider != "CUDAExecutionProvider")
                await io.Error.WriteLineAsync($"spineseg: warning: --device cuda: the CUDA execution provider is not available in this build or on this machine; running on {network.ExecutionProvider}").ConfigureAwait(false);
            if (interactive) await io.Error.WriteLineAsync($"  model       {network.Manifest.ModelId} on {network.ExecutionProvider} ({Ms(load)})").ConfigureAwait(false);
            var segmenter = new Segmenter(network);
            IProgress<StageProgress>? progress = interactive ? new StageLines(io.Error) : null;

            var result = await segmenter.SegmentFileAsync(inPath, progress, ct).ConfigureAwait(false);
            progress?.Report(new StageProgress(StageTimings.Write, false, TimeSpan.Zero));
            await result.SaveMaskAsync(outPath, ct).ConfigureAwait(false);
            if (previewPath is not null) await result.SavePreviewAsync(previewPath, cancellationToken: ct).ConfigureAwait(false);
            progress?.Report(new StageProgress(StageTimings.Write, true, result.Timings[StageTimings.Write]));
            if (statsPath is not null) await result.SaveStatsAsync(statsPath, ct).ConfigureAwait(false);

            var s = result.Stats;
            var stages = string.Join(", ", s.Timings.Stages.Select(p => $"{p.Key} {Ms(p.Value)}"));
            await io.Out.WriteLineAsync(
                $"wrote {outPath}: {s.Shape} {s.Orientation}, {s.Structures.Count} structures, model {s.ModelId} on {network.ExecutionProvider} (load {Ms(load)}; {stages}; total {Ms(s.Timings.Total)})").ConfigureAwait(false);
            return CommandIO.Success;
        }));
        return cmd;
    }

    internal static ExecutionDevice Device(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "cpu" => ExecutionDevice.Cpu,
        "cuda" => ExecutionDevice.Cuda,
        _ => throw new CliUsageException($"--device: \"{text}\" is not a device; use cpu or cuda"),
    };

    internal static int Threads(int? threads) => threads switch
    {
        null => 0,
        >= 1 and <= 1024 => threads.Value,
        _ => throw new CliUsageException($"--threads: {threads} is not a thread count; give 1..1024 (or leave it out to use every core)"),
    };

    private static string Ms(TimeSpan t) => t.TotalSeconds >= 10
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms");

    /// <summary>Prints each finished stage on its own stderr line (synchronously, so lines keep their order).</summary>
    private sealed class StageLines(TextWriter error) : IProgress<StageProgress>
    {
        public void Report(StageProgress value)
        {
            if (value.Completed) error.WriteLine($"  {value.Stage,-12}{Ms(value.Elapsed)}");
            else error.Write($"  {value.Stage,-12}...\r");
        }
    }
}
