using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MRISpineSeg.Imaging;
using MRISpineSeg.Segmentation;
using MRISpineSeg.Segmentation.Batch;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Outputs;

namespace MRISpineSeg.Cli.Commands;

/// <summary>
/// <c>spineseg segment IN... OUT [--model M.onnx] [--preview [P.png]] [--stats [S.json]] [--threads N] [--device cpu|cuda] [--keep-largest [true|false]] [--overwrite]</c>.
/// One scan into one mask file (<see cref="SegmentOne"/>), or a folder of scans — or several scans — into a folder of
/// masks with the model loaded once (<see cref="SegmentFolder"/>). Every refusal comes before anything is written.
/// </summary>
internal static class SegmentCommand
{
    /// <summary>The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    public static Command Create(CommandIO io)
    {
        // One argument split by hand: System.CommandLine gives every token to a leading one-or-more argument.
        var paths = new Argument<string[]>("paths")
        {
            HelpName = "IN... OUT",
            Description = "IN: a scan (.nii, .nii.gz, .mha, .mhd), a folder of scans, or several scans. OUT: for one scan, the mask file to write (uint8 labels on the scan's grid); for a folder or several scans, the folder to write <name>.nii.gz masks into.",
            Arity = new ArgumentArity(2, 100_000),
        };
        var model = new Option<string?>("--model") { Description = $"ONNX model with a manifest (default: ${ModelLocator.EnvironmentVariable}, else {ModelLocator.DefaultRelativePath} here or in a parent directory, or next to spineseg)." };
        var preview = new Option<string?>("--preview") { Description = "Write a PNG of the mid-sagittal slice with the mask overlaid and a legend: at the path given, or without one beside each mask as <name>.preview.png.", Arity = ArgumentArity.ZeroOrOne };
        var stats = new Option<string?>("--stats") { Description = "Write JSON (model id, orientation, time per stage, per structure its label, name, voxels and mm^3): at the path given, or without one beside each mask as <name>.stats.json.", Arity = ArgumentArity.ZeroOrOne };
        var threads = CliParse.ThreadsOption("Threads for inference.");
        var device = CliParse.DeviceOption();
        var strict = CliParse.StrictDeviceOption();
        var keepLargest = CliParse.KeepLargestOption();
        var orderLevels = CliParse.OrderLevelsOption();
        var overwrite = new Option<bool>("--overwrite") { Description = "Folder runs: segment scans whose outputs already exist again (otherwise they are skipped)." };
        var cmd = new Command("segment", "Segment lumbar-spine MR scans into the 19 MRSpineSeg structures.") { paths, model, preview, stats, threads, device, strict, keepLargest, orderLevels, overwrite };
        cmd.SetAction((r, ct) => io.GuardAsync(async () =>
        {
            var all = r.GetValue(paths)!;
            var ins = all[..^1];
            var outPath = all[^1];
            var request = new Request(
                r.GetResult(preview) is not null, r.GetValue(preview),
                r.GetResult(stats) is not null, r.GetValue(stats),
                r.GetValue(overwrite));
            var options = new OnnxNetworkOptions { Device = CliParse.Device(r.GetValue(device)), RequireDevice = r.GetValue(strict), IntraOpThreads = r.GetValue(threads) };
            var modelPath = r.GetValue(model);
            var segmenterOptions = new SegmenterOptions { KeepLargestComponent = CliParse.Switch(r, keepLargest), OrderLevels = CliParse.Switch(r, orderLevels) };

            if (IsSingle(ins, outPath))
            {
                var plan = SinglePlan(ins[0], outPath, request);
                return await SegmentOne(io, plan, options, segmenterOptions, modelPath, ct).ConfigureAwait(false);
            }

            if (request.PreviewPath is not null || request.StatsPath is not null)
                throw new CliUsageException($"{(request.PreviewPath is not null ? "--preview" : "--stats")}: a run over several scans writes one file per case beside its mask (<name>{BatchOutputs.PreviewSuffix}, <name>{BatchOutputs.StatsSuffix}); give the flag without a path");
            if (VolumeIO.IsVolumeFileName(outPath) && !Directory.Exists(outPath))
                throw new CliUsageException($"OUT: \"{outPath}\" looks like a mask file, but {(ins.Length > 1 ? $"{ins.Length} scans were given" : $"IN \"{ins[0]}\" is a folder")}; give a folder for the masks");
            var outputs = new BatchOutputs(request.Preview, request.Stats);
            var batch = ins.Length == 1 && Directory.Exists(ins[0])
                ? BatchPlan.FromFolder(ins[0], outPath, outputs)
                : BatchPlan.FromFiles(ins, outPath, outputs);
            return await SegmentFolder(io, batch, request.Overwrite, options, segmenterOptions, modelPath, ct).ConfigureAwait(false);
        }));
        return cmd;
    }

    /// <summary>One existing scan file into a mask file name (not an existing folder).</summary>
    private static bool IsSingle(string[] ins, string outPath)
        => ins.Length == 1 && !Directory.Exists(ins[0]) && !Directory.Exists(outPath) && VolumeIO.IsVolumeFileName(outPath);

    private static BatchCase SinglePlan(string input, string outPath, Request request)
    {
        var inPath = CliParse.ExistingFile(input, "IN");
        CliParse.OutputVolume(outPath);
        if (string.Equals(Path.GetFullPath(inPath), Path.GetFullPath(outPath), StringComparison.Ordinal))
            throw new CliUsageException($"OUT: \"{outPath}\" is the scan IN itself; writing the mask there would destroy the scan. Give another file name");
        var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!, VolumeIO.StripExtension(Path.GetFileName(outPath)));
        var previewPath = request.Preview ? request.PreviewPath ?? stem + BatchOutputs.PreviewSuffix : null;
        if (previewPath is not null && !previewPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new CliUsageException($"--preview: \"{previewPath}\" must end in .png");
        var statsPath = request.Stats ? request.StatsPath ?? stem + BatchOutputs.StatsSuffix : null;
        foreach (var written in new[] { previewPath, statsPath })
        {
            if (written is not null && string.Equals(Path.GetFullPath(written), Path.GetFullPath(inPath), StringComparison.Ordinal))
                throw new CliUsageException($"\"{written}\" is the scan IN itself; give another file name");
        }

        return new BatchCase(inPath, outPath, previewPath, statsPath);
    }

    private static async Task<int> SegmentOne(CommandIO io, BatchCase c, OnnxNetworkOptions options, SegmenterOptions segmenterOptions, string? modelPath, CancellationToken ct)
    {
        var interactive = io.IsInteractive;
        var (network, load) = await LoadAsync(io, options, modelPath, interactive).ConfigureAwait(false);
        using (network)
        {
            var segmenter = new Segmenter(network, segmenterOptions);
            IProgress<StageProgress>? progress = interactive ? new StageLines(io.Error) : null;

            var result = await segmenter.SegmentFileAsync(c.Input, progress, ct).ConfigureAwait(false);
            progress?.Report(new StageProgress(Segmentation.Stats.StageTimings.Write, false, TimeSpan.Zero));
            var s = await ResultFiles.WriteAsync(result, new ResultPaths(c.Mask, c.Preview, c.Stats), cancellationToken: ct).ConfigureAwait(false);
            progress?.Report(new StageProgress(Segmentation.Stats.StageTimings.Write, true, s.Timings[Segmentation.Stats.StageTimings.Write]));

            var stages = string.Join(", ", s.Timings.Stages.Select(p => $"{p.Key} {Ms(p.Value)}"));
            await io.Out.WriteLineAsync(
                $"wrote {c.Mask}: {s.Shape} {s.Orientation}, {s.Structures.Count} structures, model {s.ModelId} on {network.ExecutionProvider} (load {Ms(load)}; {stages}; total {Ms(s.Timings.Total)})").ConfigureAwait(false);
            return CommandIO.Success;
        }
    }

    private static async Task<int> SegmentFolder(CommandIO io, BatchPlan plan, bool overwrite, OnnxNetworkOptions options, SegmenterOptions segmenterOptions, string? modelPath, CancellationToken ct)
    {
        foreach (var note in plan.Notes) await io.Error.WriteLineAsync($"spineseg: note: {note}").ConfigureAwait(false);
        if (!overwrite && plan.Cases.All(c => c.IsComplete))
        {
            // A re-run of a finished folder: nothing to do, so the model (seconds to load) is not even opened.
            var lines = new BatchLines(io, plan.Cases.Count, interactive: false);
            for (var i = 0; i < plan.Cases.Count; i++) lines.Report(new BatchEvent(plan.Cases[i], i, plan.Cases.Count, BatchOutcome.Skipped, TimeSpan.Zero));
            await io.Out.WriteLineAsync($"segmented 0 of {plan.Cases.Count} scans into {plan.OutputFolder}: all {plan.Cases.Count} skipped (outputs exist; --overwrite redoes them); the model was not loaded").ConfigureAwait(false);
            return CommandIO.Success;
        }

        var (network, _) = await LoadAsync(io, options, modelPath, io.IsInteractive).ConfigureAwait(false);
        using (network)
        {
            var segmenter = new Segmenter(network, segmenterOptions);
            var view = new BatchLines(io, plan.Cases.Count, io.IsInteractive);
            var summary = await BatchRunner.RunAsync(segmenter, plan, overwrite, view, ct).ConfigureAwait(false);
            view.Clear();

            var failed = summary.Failures.Count;
            var extra = new List<string>();
            if (summary.Skipped > 0) extra.Add($"{summary.Skipped} skipped (outputs exist; --overwrite redoes them)");
            if (failed > 0) extra.Add($"{failed} failed: {string.Join(", ", summary.Failures.Select(f => f.Case.Name))}");
            if (summary.Interrupted) extra.Add($"{summary.NotReached} not reached");
            await io.Out.WriteLineAsync(
                $"segmented {summary.Segmented} of {summary.Total} scans into {plan.OutputFolder} with model {network.Manifest.ModelId} on {network.ExecutionProvider} in {Ms(summary.Elapsed)}{(extra.Count > 0 ? " (" + string.Join("; ", extra) + ")" : string.Empty)}").ConfigureAwait(false);
            if (summary.Interrupted)
            {
                await io.Error.WriteLineAsync($"spineseg: interrupted: the {summary.Segmented + summary.Skipped} finished cases are kept; run the same command again to do the rest").ConfigureAwait(false);
                return Interrupted;
            }

            if (failed > 0)
            {
                await io.Error.WriteLineAsync($"spineseg: error: {failed} of {summary.Total} scans failed: {string.Join(", ", summary.Failures.Select(f => f.Case.Name))}").ConfigureAwait(false);
                return CommandIO.BadInput;
            }

            return CommandIO.Success;
        }
    }

    private static async Task<(OnnxSegmentationNetwork Network, TimeSpan Load)> LoadAsync(CommandIO io, OnnxNetworkOptions options, string? modelPath, bool interactive)
    {
        var path = ModelLocator.Resolve(modelPath, Environment.GetEnvironmentVariable(ModelLocator.EnvironmentVariable), Environment.CurrentDirectory, AppContext.BaseDirectory);
        var started = Stopwatch.GetTimestamp();
        var network = OnnxSegmentationNetwork.Load(path, options);
        var load = Stopwatch.GetElapsedTime(started);
        if (network.DeviceProblem is { } problem)
            await io.Error.WriteLineAsync($"spineseg: warning: --device cuda: CUDA cannot be used ({problem}); running on {network.ExecutionProvider}; add --strict-device to refuse instead").ConfigureAwait(false);
        if (interactive) await io.Error.WriteLineAsync($"  model       {network.Manifest.ModelId} on {network.ExecutionProvider} ({Ms(load)})").ConfigureAwait(false);
        if (network.Manifest.TrainingData is { } trainedOn)
            await io.Error.WriteLineAsync($"spineseg: note: model {network.Manifest.ModelId} was trained on {trainedOn}").ConfigureAwait(false);
        return (network, load);
    }

    internal static string Ms(TimeSpan t) => t.TotalSeconds >= 10
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms");

    /// <summary>The flags that decide which files are written besides the mask: present, with or without a path.</summary>
    private sealed record Request(bool Preview, string? PreviewPath, bool Stats, string? StatsPath, bool Overwrite);

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
