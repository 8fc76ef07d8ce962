using System.CommandLine;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MRISpineSeg.Pipeline.Contracts;
using MRISpineSeg.Pipeline.Hosting;
using MRISpineSeg.Cli.Local;
using MRISpineSeg.Pipeline.Storage;

namespace MRISpineSeg.Cli.Commands;

/// <summary>
/// <c>spineseg local up|init|upload|download|wait</c>: the pipeline on Azurite without the Functions host.
/// <c>up</c> runs the same handlers the Functions run, fed by container scans with receipts, plus the worker loop.
/// The storage account is <c>--connection</c>, else <c>AZURE_STORAGE_CONNECTION_STRING</c>, else Azurite's default ports.
/// </summary>
internal static class LocalCommand
{
    /// <summary>The pipeline's own defaults (queue name, lease), so the local verbs cannot drift from the hosts.</summary>
    private static readonly PipelineSettings Defaults = new();

    public const string ConnectionEnvVar = "AZURE_STORAGE_CONNECTION_STRING";

    public static Command Create(CommandIO io)
    {
        var local = new Command("local", "Run and drive the pipeline on Azurite (see local/demo.sh).");
        local.Subcommands.Add(Up(io));
        local.Subcommands.Add(Init(io));
        local.Subcommands.Add(Upload(io));
        local.Subcommands.Add(Download(io));
        local.Subcommands.Add(Wait(io));
        local.Subcommands.Add(Submit(io));
        return local;
    }

    private static Option<string?> ConnectionOption() => new("--connection") { Description = $"Storage connection string (Azurite only); default ${ConnectionEnvVar} or UseDevelopmentStorage=true." };

    private static Command Up(CommandIO io)
    {
        var connection = ConnectionOption();
        var model = new Option<string>("--model") { Description = "ONNX model the worker loads once, e.g. local/models/spineseg-demo.onnx.", Required = true };
        var idle = new Option<int>("--idle-exit") { Description = "Stop after the job queue stayed empty this many seconds (0: run until Ctrl+C).", DefaultValueFactory = _ => 0 };
        var queueName = new Option<string>("--queue") { Description = "Storage queue for jobs.", DefaultValueFactory = _ => Defaults.JobQueueName };
        var threads = CliParse.ThreadsOption("ONNX Runtime intra-op threads for the worker.");
        var keepLargest = CliParse.KeepLargestOption();
        var telemetry = LocalTelemetry.Option();
        var cmd = new Command("up", "Watch 'scans' and 'submissions', queue jobs, and run the worker, all over Azurite.") { connection, model, idle, queueName, threads, keepLargest, telemetry };
        cmd.SetAction((r, ct) => io.GuardAsync(async () =>
        {
            var modelPath = CliParse.ExistingFile(r.GetValue(model)!, "--model");
            var idleSeconds = r.GetValue(idle);
            if (idleSeconds < 0) throw new CliUsageException($"--idle-exit: {idleSeconds} is negative; give 0 (never) or a number of seconds");
            // The same settings type, ranges and messages as a deployed host's app settings; filled from flags.
            var settings = new HostSettings(
                new PipelineSettings
                {
                    JobQueueName = r.GetValue(queueName)!,
                    JobTransport = JobTransport.StorageQueue,
                    IdleExitSeconds = idleSeconds,
                    ReceiveWaitSeconds = 1,
                    ModelPath = Path.GetFullPath(modelPath),
                    ModelThreads = r.GetValue(threads),
                    KeepLargestComponent = CliParse.Switch(r, keepLargest),
                },
                new StorageOptions { ConnectionString = ConnectionString(r.GetValue(connection)) },
                new ServiceBusOptions());
            var services = new ServiceCollection()
                .AddLogging(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }).SetMinimumLevel(LogLevel.Information))
                .AddUploadHandling(settings)
                .AddWorker(settings)
                .AddScoring(settings)
                .AddLocalHost()
                .AddLocalTelemetry(r.GetValue(telemetry)!);
            await using var provider = services.BuildServiceProvider();
            LocalTelemetry.Start(provider);
            var host = provider.GetRequiredService<LocalPipelineHost>();
            var summary = await host.RunAsync(ct).ConfigureAwait(false);
            await io.Out.WriteLineAsync($"local host stopped: {summary}").ConfigureAwait(false);
            return CommandIO.Success;
        }));
        return cmd;
    }

    private static Command Init(CommandIO io)
    {
        var connection = ConnectionOption();
        var cmd = new Command("init", "Create the pipeline's containers, tables and the job queue (idempotent).") { connection };
        cmd.SetAction((r, ct) => io.GuardAsync(async () =>
        {
            await using var clients = Clients(r.GetValue(connection));
            await new PipelineStorage(clients).EnsureCreatedAsync(Defaults.JobQueueName, ct).ConfigureAwait(false);
            await io.Out.WriteLineAsync($"created containers {string.Join(", ", ContainerNames.All)}; tables {string.Join(", ", TableNames.All)}; queue {Defaults.JobQueueName}").ConfigureAwait(false);
            return CommandIO.Success;
        }));
        return cmd;
    }

    private static Command Upload(CommandIO io)
    {
        var connection = ConnectionOption();
        var container = new Argument<string>("CONTAINER") { Description = "scans, submissions or ground-truth." };
        var files = new Argument<string[]>("FILE") { Description = "Files to upload.", Arity = ArgumentArity.OneOrMore };
        var prefix = new Option<string>("--as") { Description = "Blob name (one file) or folder ending in '/' (many files); default: the file name.", DefaultValueFactory = _ => string.Empty };
        var cmd = new Command("upload", "Upload files to a container (overwrites).") { container, files, prefix, connection };
        cmd.SetAction((r, ct) => io.GuardAsync(async () =>
        {
            var c = KnownContainer(r.GetValue(container)!, write: true);
            var paths = r.GetValue(files)!.Select(f => CliParse.ExistingFile(f, "FILE")).ToArray();
            var target = r.GetValue(prefix)!;
            if (paths.Length > 1 && target.Length > 0 && !target.EndsWith('/'))
                throw new CliUsageException($"--as: \"{target}\" names one blob but {paths.Length} files were given; end it with '/' to use it as a folder");
            var uploads = paths.Select(path => (Path: path, Name: target.Length == 0 ? Path.GetFileName(path) : target.EndsWith('/') ? target + Path.GetFileName(path) : target)).ToArray();
            foreach (var u in uploads) BlobLayout.ValidatePath(u.Name); // every name checked before the first upload
            await using var clients = Clients(r.GetValue(connection));
            var storage = new PipelineStorage(clients);
            foreach (var (path, name) in uploads)
            {
                if (c == ContainerNames.GroundTruth)
                {
                    await using var file = File.OpenRead(path);
                    await storage.UploadGroundTruthAsync(name, file, ct).ConfigureAwait(false);
                }
                else
                {
                    await storage.Container(c).GetBlobClient(name).UploadAsync(path, overwrite: true, ct).ConfigureAwait(false);
                }

                await io.Out.WriteLineAsync($"uploaded {c}/{name}").ConfigureAwait(false);
            }

            return CommandIO.Success;
        }));
        return cmd;
    }

    private static Command Download(CommandIO io)
    {
        var connection = ConnectionOption();
        var container = new Argument<string>("CONTAINER") { Description = "masks, scores or leaderboard (ground-truth is never served)." };
        var dir = new Argument<string>("DIR") { Description = "Local folder to write into." };
        var prefix = new Option<string>("--prefix") { Description = "Only blobs whose names start with this.", DefaultValueFactory = _ => string.Empty };
        var cmd = new Command("download", "Download a container's blobs into a folder, keeping their names.") { container, dir, prefix, connection };
        cmd.SetAction((r, ct) => io.GuardAsync(async () =>
        {
            var c = KnownContainer(r.GetValue(container)!, write: false);
            var root = Path.GetFullPath(r.GetValue(dir)!);
            await using var clients = Clients(r.GetValue(connection));
            var client = new PipelineStorage(clients).Container(c);
            var count = 0;
            var refused = new List<string>();
            await foreach (var item in client.GetBlobsAsync(new GetBlobsOptions { Prefix = r.GetValue(prefix) }, ct).ConfigureAwait(false))
            {
                // A blob whose name is no safe local path is reported and the download goes on with the rest.
                var path = Path.GetFullPath(Path.Combine(root, item.Name));
                var problem = BlobLayout.PathProblem(item.Name)
                    ?? (path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? null : $"the name would write outside {root}");
                if (problem is null)
                {
                    try
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        await Imaging.IO.AtomicFile.WriteAsync(path, s => client.GetBlobClient(item.Name).DownloadToAsync(s, ct), ct).ConfigureAwait(false);
                        count++;
                        continue;
                    }
                    catch (IOException ex)
                    {
                        problem = $"cannot be written here ({ex.GetType().Name}: {ex.Message})";
                    }
                }

                refused.Add(item.Name);
                await io.Error.WriteLineAsync($"spineseg: error: {c}/{Printable(item.Name)}: {problem}; not downloaded").ConfigureAwait(false);
            }

            await io.Out.WriteLineAsync($"downloaded {count} blob(s) from {c} to {root}{(refused.Count > 0 ? $"; {refused.Count} not downloaded (above)" : string.Empty)}").ConfigureAwait(false);
            return refused.Count == 0 ? CommandIO.Success : CommandIO.BadInput;
        }));
        return cmd;
    }

    private static Command Wait(CommandIO io)
    {
        var connection = ConnectionOption();
        var container = new Argument<string>("CONTAINER") { Description = "masks or scores." };
        var names = new Argument<string[]>("BLOB") { Description = "Blobs to wait for, e.g. Case1.nii.gz or team/run1.json.", Arity = ArgumentArity.OneOrMore };
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many seconds.", DefaultValueFactory = _ => 600 };
        var cmd = new Command("wait", "Wait until blobs exist; fails at once, with the reason, if an .error.json appears instead.") { container, names, timeout, connection };
        cmd.SetAction((r, ct) => io.GuardAsync(async () =>
        {
            var c = KnownContainer(r.GetValue(container)!, write: false);
            var seconds = r.GetValue(timeout);
            if (seconds <= 0) throw new CliUsageException($"--timeout: {seconds} is not a positive number of seconds");
            await using var clients = Clients(r.GetValue(connection));
            var waiter = new OutputWaiter(new PipelineStorage(clients));
            await waiter.WaitAsync(c, r.GetValue(names)!, TimeSpan.FromSeconds(seconds), name => io.Out.WriteLineAsync($"ready {c}/{name}"), ct).ConfigureAwait(false);
            return CommandIO.Success;
        }));
        return cmd;
    }

    private static Command Submit(CommandIO io)
    {
        var connection = ConnectionOption();
        var team = new Option<string>("--team") { Description = "Team name (letters, digits, '-', '_', '.').", Required = true };
        var id = new Option<string>("--id") { Description = "Submission id, e.g. run1.", Required = true };
        var masks = new Argument<string[]>("MASK") { Description = "Predicted masks (CaseN.nii.gz or mask_caseN.nii.gz), zipped by file name.", Arity = ArgumentArity.OneOrMore };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for the score (0: upload and return).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("submit", "Zip masks into submissions/<team>/<id>.zip; with --wait, print the score when it is ready.") { team, id, masks, wait, connection };
        cmd.SetAction((r, ct) => io.GuardAsync(async () =>
        {
            var name = BlobLayout.ParseSubmission($"{r.GetValue(team)}/{r.GetValue(id)}.zip");
            var files = r.GetValue(masks)!.Select(f => CliParse.ExistingFile(f, "MASK")).ToArray();
            var seconds = r.GetValue(wait);
            if (seconds < 0) throw new CliUsageException($"--wait: {seconds} is negative");
            using var zip = new MemoryStream();
            using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var f in files)
                {
                    await using var entry = await archive.CreateEntry(Path.GetFileName(f), System.IO.Compression.CompressionLevel.NoCompression).OpenAsync(ct).ConfigureAwait(false);
                    await using var input = File.OpenRead(f);
                    await input.CopyToAsync(entry, ct).ConfigureAwait(false);
                }
            }

            await using var clients = Clients(r.GetValue(connection));
            var storage = new PipelineStorage(clients);
            zip.Position = 0;
            await storage.Container(ContainerNames.Submissions).GetBlobClient(name.BlobName).UploadAsync(zip, overwrite: true, ct).ConfigureAwait(false);
            await io.Out.WriteLineAsync($"submitted {files.Length} mask(s) as {ContainerNames.Submissions}/{name.BlobName}").ConfigureAwait(false);
            if (seconds == 0) return CommandIO.Success;

            var scores = storage.Container(ContainerNames.Scores);
            await new OutputWaiter(storage).WaitAsync(ContainerNames.Scores, [BlobLayout.ScoreJsonName(name)], TimeSpan.FromSeconds(seconds), cancellationToken: ct).ConfigureAwait(false);

            var props = (await scores.GetBlobClient(BlobLayout.ScoreJsonName(name)).GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false)).Value;
            props.Metadata.TryGetValue(BlobLayout.ChallengeMeanMetadata, out var mean);
            props.Metadata.TryGetValue(BlobLayout.CaseCountMetadata, out var cases);
            await io.Out.WriteLineAsync(double.TryParse(mean, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var m)
                ? $"scored {name.BlobName}: challenge mean Dice {m.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)} over {cases} case(s)"
                : $"scored {name.BlobName}: no defined class in any case (challenge mean is null)").ConfigureAwait(false);
            return CommandIO.Success;
        }));
        return cmd;
    }

    /// <summary>A blob name as one printable line (control characters shown as \uXXXX).</summary>
    private static string Printable(string name)
        => string.Concat(name.Select(ch => char.IsControl(ch) ? $"\\u{(int)ch:X4}" : ch.ToString()));

    private static string KnownContainer(string name, bool write)
    {
        if (!ContainerNames.All.Contains(name))
            throw new CliUsageException($"CONTAINER: \"{name}\" is not a pipeline container; use one of {string.Join(", ", ContainerNames.All)}");
        if (!write && name == ContainerNames.GroundTruth)
            throw new CliUsageException("CONTAINER: ground-truth is private and is never downloaded or served");
        return name;
    }

    private static string ConnectionString(string? given)
        => !string.IsNullOrWhiteSpace(given) ? given
            : Environment.GetEnvironmentVariable(ConnectionEnvVar) is { Length: > 0 } env ? env
            : "UseDevelopmentStorage=true";

    private static PipelineClients Clients(string? given) => PipelineClients.Create(new StorageOptions { ConnectionString = ConnectionString(given) });
}
