using MRISpineSeg.Cli;
using MRISpineSeg.EndToEnd.Tests.Support;
using MRISpineSeg.Pipeline.Contracts;

namespace MRISpineSeg.EndToEnd.Tests.Cli;

/// <summary><c>spineseg local ...</c> against a real Azurite: what the demo script drives.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalCommandTests(Azurite azurite)
{
    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = SpinesegApp.Run([.. args, "--connection", azurite.ConnectionString], o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task UploadThenDownloadShouldRoundTripTheFile()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var dir = Directory.CreateTempSubdirectory("spineseg-cli-").FullName;
        var file = Path.Combine(dir, "Case1.nii.gz");
        await File.WriteAllBytesAsync(file, TestVolumes.ScanNiiGz());

        var up = Run("local", "upload", "masks", file, "--as", p.Prefix);
        var down = Run("local", "download", "masks", Path.Combine(dir, "out"), "--prefix", p.Prefix);

        Assert.Equal(0, up.Code);
        Assert.Contains($"uploaded masks/{p.Prefix}Case1.nii.gz", up.Out, StringComparison.Ordinal);
        Assert.Equal(0, down.Code);
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(Path.Combine(dir, "out", p.Prefix, "Case1.nii.gz")));
    }

    [Fact]
    public async Task SigtermShouldStopLocalUpCleanlyWithExitZero()
    {
        // F8: SIGTERM ended local up with 143. Now the verb's token is cancelled and awaited (through the huge-page
        // relaunch, which passes the signal on), the worker stops taking work, and the process exits 0.
        if (!OperatingSystem.IsLinux()) return;

        var (exitCode, text) = await RunLocalUpUntilListeningAsync();

        Assert.True(exitCode == 0, $"exit {exitCode}: {text}");
        Assert.Contains("local host stopped", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TelemetryConsoleShouldSendTheLocalHostsLogsThroughOpenTelemetry()
    {
        if (!OperatingSystem.IsLinux()) return;

        // Off by default: the same start without the flag prints no OpenTelemetry records.
        var (_, plain) = await RunLocalUpUntilListeningAsync();
        var (_, traced) = await RunLocalUpUntilListeningAsync("--telemetry", "console");

        Assert.DoesNotContain("LogRecord.", plain, StringComparison.Ordinal);
        Assert.Contains("LogRecord.CategoryName:", traced, StringComparison.Ordinal);
        Assert.Contains("MRISpineSeg.Pipeline.Jobs.JobReceiveLoop", traced, StringComparison.Ordinal);
        Assert.Contains("service.name: spineseg-local", traced, StringComparison.Ordinal);
    }

    /// <summary>Starts <c>local up</c> as a process, stops it with SIGTERM once its worker listens, and returns its exit code and what it printed.</summary>
    private async Task<(int ExitCode, string Output)> RunLocalUpUntilListeningAsync(params string[] extra)
    {
        var dir = Directory.CreateTempSubdirectory("spineseg-up-").FullName;
        var model = Path.Combine(dir, "m.onnx");
        Assert.Equal(0, SpinesegApp.Run(["model", "build", "--random-seed", "1", "--width", "2", "--grid", "16,16,12", "--out", model], TextWriter.Null, TextWriter.Null));
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "spineseg.dll"), "local", "up", "--model", model, "--idle-exit", "0", "--threads", "1", "--queue", "otel-" + Guid.NewGuid().ToString("N")[..8], "--connection", azurite.ConnectionString }.Concat(extra))
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.Contains("Worker listening", StringComparison.Ordinal)) listening.TrySetResult();
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (output) output.AppendLine(e.Data);
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(500); // the exporter writes its record just after the console logger's line
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token);
        lock (output) return (p.ExitCode, output.ToString());
    }

    [Fact]
    public void InitShouldCreateEveryContainerTableAndTheJobQueueTwiceWithoutComplaint()
    {
        var first = Run("local", "init");
        var second = Run("local", "init");

        Assert.Equal(0, first.Code);
        Assert.Equal(0, second.Code);
        Assert.Contains("ground-truth", second.Out, StringComparison.Ordinal);
        Assert.Contains("queue segmentation-jobs", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void GroundTruthShouldNeverBeDownloaded()
    {
        var r = Run("local", "download", "ground-truth", Path.GetTempPath());
        Assert.Equal(CommandIO.BadInput, r.Code);
        Assert.Contains("ground-truth is private", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownContainerShouldListTheValidOnes()
    {
        var r = Run("local", "upload", "photos", typeof(LocalCommandTests).Assembly.Location);
        Assert.Equal(CommandIO.BadInput, r.Code);
        Assert.Contains("use one of scans, masks, submissions, scores, leaderboard, ground-truth, scores-private", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitShouldFailAtOnceWithTheReasonWhenAnErrorBlobAppears()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        var name = await p.UploadScanAsync("Bad.nii.gz", TestVolumes.NotAVolume());
        await p.Uploads.HandleAsync(name);

        var r = Run("local", "wait", "masks", BlobLayout.MaskName(name), "--timeout", "30");

        Assert.Equal(CommandIO.BadInput, r.Code);
        Assert.Contains("UnknownFormat", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitShouldSucceedOnceTheBlobExists()
    {
        await using var p = await TestPipeline.StartAsync(azurite);
        await p.Blob(ContainerNames.Masks, p.Prefix + "Case1.nii.gz").UploadAsync(new BinaryData(TestVolumes.ScanNiiGz()));

        var r = Run("local", "wait", "masks", p.Prefix + "Case1.nii.gz", "--timeout", "10");

        Assert.Equal(0, r.Code);
        Assert.Contains("ready masks/", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void SubmissionWithABadTeamNameShouldBeRefusedBeforeUpload()
    {
        var r = Run("local", "submit", "--team", "a team", "--id", "run1", typeof(LocalCommandTests).Assembly.Location);
        Assert.Equal(CommandIO.BadInput, r.Code);
        Assert.Contains("may only hold letters, digits", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitShouldUploadAZipOfTheMasksByFileName()
    {
        var dir = Directory.CreateTempSubdirectory("spineseg-cli-").FullName;
        var mask = Path.Combine(dir, "Case1.nii.gz");
        await File.WriteAllBytesAsync(mask, TestVolumes.ScanNiiGz());
        var id = "r" + Guid.NewGuid().ToString("N")[..8];

        var r = Run("local", "submit", "--team", "cli-test", "--id", id, mask);

        Assert.Equal(0, r.Code);
        await using var p = await TestPipeline.StartAsync(azurite);
        var zip = (await p.Blob(ContainerNames.Submissions, $"cli-test/{id}.zip").DownloadContentAsync()).Value.Content;
        using var archive = new System.IO.Compression.ZipArchive(zip.ToStream());
        Assert.Equal("Case1.nii.gz", Assert.Single(archive.Entries).FullName);
    }

    [Fact]
    public void UpWithAMissingModelShouldSaySo()
    {
        var r = Run("local", "up", "--model", "/nonexistent/model.onnx");
        Assert.Equal(CommandIO.BadInput, r.Code);
        Assert.Contains("--model", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void UpWithAFileThatIsNotAModelShouldFailWithOneLineNamingIt()
    {
        var junk = Path.GetTempFileName();
        try
        {
            File.WriteAllText(junk, "not an onnx model");
            var r = Run("local", "up", "--model", junk, "--idle-exit", "1", "--queue", "jobs-" + Guid.NewGuid().ToString("N")[..12]);
            Assert.NotEqual(CommandIO.Success, r.Code);
            Assert.Contains(junk, r.Err, StringComparison.Ordinal);
            Assert.Contains("not a loadable ONNX model", r.Err, StringComparison.Ordinal);
            Assert.Single(r.Err.Trim().Split('\n'));
        }
        finally
        {
            File.Delete(junk);
        }
    }

    [Fact]
    public void UpWithANegativeThreadCountShouldSaySo()
    {
        var r = Run("local", "up", "--model", typeof(LocalCommandTests).Assembly.Location, "--threads", "-1");
        Assert.Equal(SpinesegApp.UsageError, r.Code); // the one --threads rule, checked while parsing as in every verb
        Assert.Contains("--threads: \"-1\" is not a thread count", r.Err, StringComparison.Ordinal);
    }
}
