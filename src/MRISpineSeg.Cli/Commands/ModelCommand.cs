using MRISpineSeg.Imaging.Geometry;
using System.CommandLine;
using System.Globalization;
using MRISpineSeg.Segmentation;
using MRISpineSeg.Segmentation.Model;
using MRISpineSeg.Segmentation.Model.Inference;
using MRISpineSeg.Segmentation.Model.Onnx;
using MRISpineSeg.Segmentation.Model.UNet3D;
using MRISpineSeg.Segmentation.Model.VNet;
using MRISpineSeg.Segmentation.Model.Weights;

namespace MRISpineSeg.Cli.Commands;

/// <summary>
/// <c>spineseg model build [--arch vnet|unet3d] --out M.onnx (--weights W.pdparams | --random-seed N [--width 16] [--elu] [--base-filters 8]) [--grid X,Y,Z] [--model-id ID]</c>,
/// <c>spineseg model import</c> (<see cref="ModelImportCommand"/>) and <c>spineseg model info M.onnx</c>.
/// </summary>
internal static class ModelCommand
{
    public static Command Create(CommandIO io)
    {
        var cmd = new Command("model", "Build a VNet or UNet3D ONNX model from PaddleSeg weights (or seeded random weights), import any ONNX segmentation model, and inspect models.");
        cmd.Subcommands.Add(Build(io));
        cmd.Subcommands.Add(ModelImportCommand.Create(io));
        cmd.Subcommands.Add(Info(io));
        cmd.Subcommands.Add(Bench(io));
        cmd.Subcommands.Add(ModelQuantizeCommand.Create(io));
        return cmd;
    }

    private static Command Build(CommandIO io)
    {
        var output = new Option<string>("--out") { Description = "Output ONNX file (.onnx).", Required = true };
        var weights = new Option<string?>("--weights") { Description = "PaddleSeg state_dict (.pdparams); width, classes and activation are inferred from it." };
        var seed = new Option<long?>("--random-seed") { Description = "Build with deterministic He-normal random weights from this seed (tests, benchmarks)." };
        var width = new Option<int?>("--width") { Description = "Base width for random weights (PaddleSeg: 16)." };
        var classes = new Option<int?>("--classes") { Description = "Class count for random weights (default 20)." };
        var elu = new Option<bool>("--elu") { Description = "ELU instead of PReLU (random weights only; with --weights it is inferred)." };
        var grid = new Option<string?>("--grid") { Description = "Grid X,Y,Z the graph runs at (default 512,512,12 for vnet, 512,512,16 for unet3d, whose extents must be multiples of 16)." };
        var arch = new Option<string>("--arch") { Description = "vnet (PaddleSeg MedicalSeg's VNet) or unet3d (its UNet3D).", DefaultValueFactory = _ => "vnet" };
        var baseFilters = new Option<int?>("--base-filters") { Description = "UNet3D base_n_filter for random weights (PaddleSeg: 8)." };
        var modelId = new Option<string?>("--model-id") { Description = "Manifest model id (default vnet-w{width}-{activation}[-random])." };
        var slabs = new Option<int>("--tail-slabs") { Description = "Run the full-resolution tail in this many x-slabs (lower peak memory; 1 = whole).", DefaultValueFactory = _ => 4 };
        var orientation = new Option<string>("--orientation") { Description = "Axis codes of the grid the weights were trained on, e.g. PSR (PaddleSeg's MRSpineSeg models) or RAS; scans are permuted and flipped to them.", DefaultValueFactory = _ => ModelManifest.DefaultOrientation };
        var naming = new Option<string>("--class-names") { Description = "auto (the MRSpineSeg table for 20 classes, class_N otherwise), spine (the table's first N: class i is MRSpineSeg label i) or generic (class_N).", DefaultValueFactory = _ => "auto" };
        var trainingData = new Option<string?>("--training-data") { Description = "One line on what the weights were trained on; segment prints it and the stats record it." };
        var keepLargest = new Option<bool>("--keep-largest") { Description = "Record in the manifest that segment and the worker keep only each label's largest connected component by default." };
        var orderLevels = new Option<bool>("--order-levels") { Description = "Record in the manifest that segment and the worker rename vertebral bodies by their order along the spine by default (models of vertebrae without discs, at most 11 classes)." };
        var zPadding = new Option<bool>("--multiply-z-padding") { Description = "VNet: write the older graph form that multiplies the zero z padding through (about 16% more work; for comparisons only)." };
        var build = new Command("build", "Write a VNet or UNet3D ONNX model with its manifest.") { output, weights, seed, width, classes, elu, grid, modelId, slabs, orientation, naming, trainingData, keepLargest, orderLevels, zPadding, arch, baseFilters };
        build.SetAction(r => io.Guard(() =>
        {
            var outPath = r.GetValue(output)!;
            if (!outPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                throw new CliUsageException($"--out: \"{outPath}\" must end in .onnx");
            var dir = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
            if (!Directory.Exists(dir)) throw new CliUsageException($"--out: directory \"{dir}\" does not exist");
            var weightsPath = r.GetValue(weights);
            var randomSeed = r.GetValue(seed);
            if ((weightsPath is null) == (randomSeed is null))
                throw new CliUsageException("give exactly one of --weights W.pdparams or --random-seed N");
            if (weightsPath is not null && (r.GetValue(width) is not null || r.GetValue(classes) is not null || r.GetValue(elu)))
                throw new CliUsageException("--width, --classes and --elu apply to --random-seed only; with --weights they are inferred from the weights");
            if (randomSeed is < 0) throw new CliUsageException($"--random-seed: {randomSeed} must be zero or positive");
            var common = new UNet3DBuildOptions
            {
                Grid = r.GetValue(grid) is { } g ? CliParse.Shape(g, "--grid") : UNet3DBuildOptions.SpineGrid,
                ModelId = r.GetValue(modelId) is { } id && !string.IsNullOrWhiteSpace(id) ? id : null,
                Orientation = AxisOrientation.TryParse(r.GetValue(orientation), out var orientationProblem)?.Code ?? throw new CliUsageException($"--orientation: {orientationProblem}"),
                ClassNaming = r.GetValue(naming)?.Trim().ToLowerInvariant() switch
                {
                    "auto" => ClassNaming.Auto,
                    "spine" => ClassNaming.Spine,
                    "generic" => ClassNaming.Generic,
                    var v => throw new CliUsageException($"--class-names: \"{v}\" is not auto, spine or generic"),
                },
                TrainingData = r.GetValue(trainingData) is { } t
                    ? (string.IsNullOrWhiteSpace(t) || t.Contains('\n', StringComparison.Ordinal) ? throw new CliUsageException("--training-data: give one non-empty line") : t.Trim())
                    : null,
                KeepLargestComponent = r.GetValue(keepLargest),
                OrderLevels = r.GetValue(orderLevels),
            };
            switch (r.GetValue(arch)?.Trim().ToLowerInvariant())
            {
                case "unet3d":
                    if (r.GetValue(width) is not null || r.GetValue(elu) || r.GetResult(slabs) is { Implicit: false })
                        throw new CliUsageException("--width, --elu and --tail-slabs are VNet options; a UNet3D takes --base-filters (random weights only)");
                    return UNet3DBuildVerb.Write(io, outPath, weightsPath, randomSeed, r.GetValue(baseFilters), r.GetValue(classes), common);
                case "vnet":
                    if (r.GetValue(baseFilters) is not null) throw new CliUsageException("--base-filters is a UNet3D option; a VNet takes --width");
                    break;
                case var other:
                    throw new CliUsageException($"--arch: \"{other}\" is not vnet or unet3d");
            }

            var options = new VNetBuildOptions
            {
                Grid = r.GetValue(grid) is not null ? common.Grid : new VNetBuildOptions().Grid,
                ModelId = common.ModelId,
                Orientation = common.Orientation,
                TailSlabs = r.GetValue(slabs) is var n and >= 1 and <= 64 ? n : throw new CliUsageException($"--tail-slabs: {r.GetValue(slabs)} must be 1..64"),
                ClassNaming = common.ClassNaming,
                TrainingData = common.TrainingData,
                KeepLargestComponent = common.KeepLargestComponent,
                OrderLevels = common.OrderLevels,
                SkipZPadding = !r.GetValue(zPadding),
            };

            WeightSet set;
            if (weightsPath is not null)
            {
                set = PdparamsReader.Read(CliParse.ExistingFile(weightsPath, "--weights"));
            }
            else
            {
                var w = r.GetValue(width) ?? 16;
                var c = r.GetValue(classes) ?? 20;
                if (w is < 1 or > VNetArchitecture.MaxWidth) throw new CliUsageException($"--width: {w} must be 1..{VNetArchitecture.MaxWidth} (PaddleSeg uses 16)");
                if (c is < 2 or > VNetArchitecture.MaxClasses) throw new CliUsageException($"--classes: {c} must be 2..{VNetArchitecture.MaxClasses}");
                var arch = VNetArchitecture.Spine(w, c, r.GetValue(elu) ? VNetActivation.Elu : VNetActivation.PRelu);
                set = RandomWeights.Create(arch, (ulong)randomSeed!.Value);
            }

            var inferred = set.InferArchitecture();
            if (!inferred.TryLevelGrids(options.Grid, out _, out var gridError))
                throw new CliUsageException($"--grid: {options.Grid} does not fit the VNet: {gridError}");
            if (options.ClassNaming == ClassNaming.Spine && inferred.NumClasses > SpineClasses.Names.Count)
                throw new CliUsageException($"--class-names spine: the weights have {inferred.NumClasses} classes, more than the MRSpineSeg table's {SpineClasses.Names.Count}; use generic");
            var manifest = VNetModelBuilder.Write(set, outPath, options);
            io.Out.WriteLine($"wrote {outPath}: {manifest.ModelId} (vnet width {manifest.Width}, {manifest.Activation}, {manifest.NumClasses} classes, grid {manifest.InputGrid}, orientation {manifest.Orientation}, weights sha256 {manifest.WeightsSha256})");
            return CommandIO.Success;
        }));
        return build;
    }

    private static Command Info(CommandIO io)
    {
        var model = new Argument<string>("MODEL") { Description = "ONNX model file." };
        var info = new Command("info", "Print a model's ONNX header, inputs/outputs and manifest.") { model };
        info.SetAction(r => io.Guard(() =>
        {
            var path = r.GetValue(model)!;
            var i = OnnxModelInfo.Read(path);
            var o = io.Out;
            o.WriteLine($"file:        {path}");
            o.WriteLine($"onnx:        ir {i.IrVersion}, opset {i.Opset}, producer {i.Producer}");
            o.WriteLine($"graph:       {i.NodeCount} nodes, {i.InitializerCount} initializers, {i.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} float parameters");
            foreach (var x in i.Inputs) o.WriteLine($"input:       {x}");
            foreach (var x in i.Outputs) o.WriteLine($"output:      {x}");
            var m = ManifestCodec.FromMetadata(i.Metadata, path);
            o.WriteLine($"model id:    {m.ModelId}");
            o.WriteLine($"arch:        {m.Architecture}, width {m.Width}, {m.Activation}");
            o.WriteLine($"input grid:  {m.InputGrid} ({m.Layout}){(m.GridMultiple == new MRISpineSeg.Imaging.Volumes.Shape3(1, 1, 1) ? string.Empty : $"; every extent a multiple of {m.GridMultiple}")}");
            o.WriteLine($"orientation: {m.Orientation} (scans are permuted and flipped to these axis codes before preprocessing)");
            o.WriteLine($"preprocess:  clip(x / {m.ClipMax.ToString(CultureInfo.InvariantCulture)}, 0, 1), zoom order {m.ImageOrder}, labels order {m.LabelOrder}");
            o.WriteLine($"weights:     sha256 {m.WeightsSha256}");
            o.WriteLine($"precision:   {(m.Calibration is { } cal ? $"int8 (u8 activations, s8 per-channel weights; CPU only), calibrated on {cal.ScanCount} scan(s), sha256 {cal.Sha256}" : "fp32")}");
            o.WriteLine($"trained on:  {m.TrainingData ?? "(not recorded in the manifest)"}");
            o.WriteLine($"postprocess: {(m.KeepLargestComponent ? "keep the largest connected component of each label (default; segment --keep-largest false turns it off)" : "none by default (segment --keep-largest turns on the largest-component clean-up)")}");
            o.WriteLine($"levels:      {(m.OrderLevels ? "vertebral bodies renamed by their order along the spine (default; segment --order-levels false turns it off)" : "as the network labels them")}");
            o.WriteLine($"classes:     {m.NumClasses}");
            for (var c = 0; c < m.ClassNames.Count; c++) o.WriteLine($"  {c,3}  {m.ClassNames[c]}");
            return CommandIO.Success;
        }));
        return info;
    }

    private static Command Bench(CommandIO io)
    {
        var model = new Argument<string>("MODEL") { Description = "ONNX model file with a manifest." };
        var runs = new Option<int>("--runs") { Description = "Timed runs after one warm-up run.", DefaultValueFactory = _ => 3 };
        var threads = CliParse.ThreadsOption("Intra-op threads.", defaultValue: 2);
        var arena = new Option<bool>("--arena") { Description = "Enable the CPU memory arena (off by default)." };
        var pattern = new Option<bool>("--memory-pattern") { Description = "Enable memory-pattern planning (off by default)." };
        var opt = new Option<string>("--optimization") { Description = "Graph optimisation: disable, basic, extended, all.", DefaultValueFactory = _ => "all" };
        var parallel = new Option<bool>("--parallel") { Description = "ORT_PARALLEL execution mode instead of sequential." };
        var spin = new Option<bool>("--spin") { Description = "Let idle ORT threads spin (ORT's default; off here)." };
        var profile = new Option<string?>("--profile") { Description = "Write ONNX Runtime's per-operator JSON profile with this path prefix." };
        var device = CliParse.DeviceOption();
        device.Description = "cpu or cuda; a benchmark never falls back: cuda that cannot be used is an error naming what is missing.";
        var form = new Option<string>("--form") { Description = "Graph form: auto (stored on cpu, native3d fp16 on cuda), stored, native3d.", DefaultValueFactory = _ => "auto" };
        var labelsOut = new Option<string?>("--labels-out") { Description = "Write the last run's labels (X*Y*Z bytes, z fastest) to this file." };
        var compare = new Option<string?>("--compare") { Description = "Labels file from another run on the same model (--labels-out): print the fraction of voxels that agree." };
        var bench = new Command("bench", "Time warm inference on random input (seed 1) at the model's grid and report peak RSS (Linux).") { model, runs, threads, arena, pattern, opt, parallel, spin, profile, device, form, labelsOut, compare };
        bench.SetAction((r, ct) => Task.FromResult(io.Guard(() =>
        {
            var n = r.GetValue(runs);
            if (n < 1) throw new CliUsageException($"--runs: {n} must be at least 1");
            var level = r.GetValue(opt) switch
            {
                "disable" => GraphOptimization.None,
                "basic" => GraphOptimization.Basic,
                "extended" => GraphOptimization.Extended,
                "all" => GraphOptimization.All,
                var v => throw new CliUsageException($"--optimization: \"{v}\" is not one of disable, basic, extended, all"),
            };
            var options = new OnnxNetworkOptions
            {
                IntraOpThreads = r.GetValue(threads),
                EnableCpuMemArena = r.GetValue(arena),
                EnableMemoryPattern = r.GetValue(pattern),
                Optimization = level,
                ParallelExecution = r.GetValue(parallel),
                ProfilePathPrefix = r.GetValue(profile),
                AllowSpinning = r.GetValue(spin),
                Device = CliParse.Device(r.GetValue(device)),
                RequireDevice = true,
                GraphForm = CliParse.Form(r.GetValue(form)),
            };
            var reference = r.GetValue(compare) is { } c ? File.ReadAllBytes(CliParse.ExistingFile(c, "--compare")) : null;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            using var net = OnnxSegmentationNetwork.Load(CliParse.ExistingFile(r.GetValue(model)!, "MODEL"), options);
            var loadS = sw.Elapsed.TotalSeconds;
            var grid = net.Manifest.InputGrid;
            if (InferenceBenchmark.Run(net, n, ct) is not { } result)
            {
                io.Error.WriteLine($"spineseg: interrupted before {n + 1} runs finished; nothing reported");
                return SegmentCommand.Interrupted;
            }

            var times = result.Seconds;
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model {net.Manifest.ModelId} grid {grid} device {options.Device} threads {options.IntraOpThreads} arena {options.EnableCpuMemArena} pattern {options.EnableMemoryPattern} opt {r.GetValue(opt)} mode {(options.ParallelExecution ? "parallel" : "sequential")} spin {options.AllowSpinning}"));
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load {loadS:F2} s; first run {times[0]:F3} s; warm runs {string.Join(", ", times[1..].Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))} s; median {result.WarmMedian:F3} s; cpu per warm run {result.CpuSeconds[1..].Average():F1} s"));
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rss after load {result.RssAfterLoadKb / 1024.0:F0} MiB; peak rss during inference {result.PeakRssKb / 1024.0:F0} MiB; inference adds {result.InferenceAddsKb / 1024.0:F0} MiB"));
            io.Out.WriteLine($"malloc huge pages: {HugePageRelaunch.State}");
            io.Out.WriteLine($"provider {net.ExecutionProvider}; graph {net.Form}");
            var labels = result.Labels;
            if (r.GetValue(labelsOut) is { } outPath) File.WriteAllBytes(outPath, labels);
            if (reference is not null)
            {
                if (reference.Length != labels.Length)
                    throw new CliUsageException($"--compare: the file holds {reference.Length} labels, this model's grid {grid} has {labels.Length}");
                var same = result.CountAgreeing(reference);
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"labels agree with {r.GetValue(compare)}: {same} of {labels.Length} voxels ({100.0 * same / labels.Length:F4} %)"));
            }
            return CommandIO.Success;
        })));
        return bench;
    }
}
