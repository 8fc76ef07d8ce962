using System.Diagnostics;

namespace MRISpineSeg.Cli.Tests;

public sealed class HugePageRelaunchTests
{
    [Theory]
    [InlineData(new[] { "segment", "a.nii.gz", "b.nii.gz" }, true)]
    [InlineData(new[] { "model", "bench", "m.onnx" }, true)]
    [InlineData(new[] { "local", "up", "--model", "m.onnx" }, true)]
    [InlineData(new[] { "local", "up" }, false)] // --model missing: usage error
    [InlineData(new[] { "segment", "--help" }, false)]
    [InlineData(new[] { "segment" }, false)] // a usage error is printed in place, not by a second process
    [InlineData(new[] { "info", "a.nii.gz" }, false)]
    [InlineData(new[] { "model", "build", "--out", "m.onnx" }, false)]
    [InlineData(new string[0], false)]
    public void OnlyTheVerbsThatRunTheNetworkShouldRelaunch(string[] args, bool wanted)
        => Assert.Equal(wanted, HugePageRelaunch.ShouldRelaunch(args, tunables: null, optOut: null, isLinux: true));

    [Fact]
    public void AlreadySetOptedOutOrNotLinuxShouldRunInPlace()
    {
        string[] args = ["segment", "a.nii.gz", "b.nii.gz"];
        Assert.False(HugePageRelaunch.Wanted(args, "glibc.malloc.hugetlb=1", null, true));
        Assert.False(HugePageRelaunch.Wanted(args, "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0", null, true));
        Assert.False(HugePageRelaunch.Wanted(args, null, "0", true));
        Assert.False(HugePageRelaunch.Wanted(args, null, null, false));
        Assert.True(HugePageRelaunch.Wanted(args, "glibc.malloc.arena_max=2", null, true));
    }

    [Fact]
    public void ModelBenchShouldRunWithHugePagesUnlessOptedOut()
    {
        if (!OperatingSystem.IsLinux()) return; // the relaunch is Linux-only by design
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "tiny.onnx");
        Assert.Equal(0, Spineseg(null, "model", "build", "--out", model, "--random-seed", "1", "--width", "2", "--grid", "16,16,12").Code);

        var relaunched = Spineseg(null, "model", "bench", model, "--runs", "1", "--threads", "1");
        var optedOut = Spineseg("0", "model", "bench", model, "--runs", "1", "--threads", "1");

        Assert.Equal(0, relaunched.Code);
        Assert.Contains("malloc huge pages: on", relaunched.Out, StringComparison.Ordinal);
        Assert.Equal(0, optedOut.Code);
        Assert.Contains("malloc huge pages: off", optedOut.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void RelaunchedSegmentShouldPassItsErrorAndExitCodeThroughOnce()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-scan-" + Guid.NewGuid().ToString("N") + ".nii.gz");

        var (code, _, err) = Spineseg(null, "segment", missing, missing + ".out.nii.gz");

        Assert.NotEqual(0, code);
        Assert.Equal(1, CountOf(err, Path.GetFileName(missing)));
    }

    [Fact]
    public async Task KillingTheParentShouldNotLeaveTheRelaunchedChildRunning()
    {
        // F8: kill -9 of a relaunching spineseg left its child reparented to init and still working.
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "tiny.onnx");
        Assert.Equal(0, Spineseg(null, "model", "build", "--out", model, "--random-seed", "1", "--width", "2", "--grid", "16,16,12").Code);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "spineseg.dll"), "model", "bench", model, "--runs", "1000000", "--threads", "1" }) psi.ArgumentList.Add(a);
        psi.Environment.Remove("GLIBC_TUNABLES");
        psi.Environment.Remove(HugePageRelaunch.OptOutVariable);
        using var parent = Process.Start(psi)!;
        int child = 0;
        for (var i = 0; i < 200 && child == 0; i++)
        {
            await Task.Delay(50);
            var children = $"/proc/{parent.Id}/task/{parent.Id}/children";
            if (File.Exists(children) && (await File.ReadAllTextAsync(children)).Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..]) child = int.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.True(child > 0, "the parent did not relaunch");
        await Task.Delay(500); // the child is past its start-up, running the verb
        parent.Kill(); // SIGKILL: the parent gets no chance to pass anything on
        await parent.WaitForExitAsync();

        var gone = false;
        for (var i = 0; i < 100 && !gone; i++)
        {
            gone = !Directory.Exists($"/proc/{child}") || (await File.ReadAllTextAsync($"/proc/{child}/stat")).Split(' ')[2] == "Z";
            if (!gone) await Task.Delay(100);
        }

        if (!gone) Process.GetProcessById(child).Kill();
        Assert.True(gone, $"child {child} outlived its killed parent");
    }

    /// <summary>Runs the built CLI as a user would (<c>dotnet spineseg.dll …</c>), with no huge-page setting inherited.</summary>
    private static (int Code, string Out, string Err) Spineseg(string? optOut, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "spineseg.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("GLIBC_TUNABLES");
        if (optOut is null) psi.Environment.Remove(HugePageRelaunch.OptOutVariable);
        else psi.Environment[HugePageRelaunch.OptOutVariable] = optOut;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000));
        return (p.ExitCode, stdout, stderr.Result);
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("hugepages").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
