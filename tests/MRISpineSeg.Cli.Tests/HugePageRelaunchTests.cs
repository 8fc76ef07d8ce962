using System.Diagnostics;

namespace MRISpineSeg.Cli.Tests;

public sealed class HugePageRelaunchTests
{
    [Theory]
    [InlineData(new[] { "segment", "a.nii.gz", "b.nii.gz" }, true)]
    [InlineData(new[] { "model", "bench", "m.onnx" }, true)]
    [InlineData(new[] { "local", "up" }, true)]
    [InlineData(new[] { "segment", "--help" }, false)]
    [InlineData(new[] { "info", "a.nii.gz" }, false)]
    [InlineData(new[] { "model", "build", "--out", "m.onnx" }, false)]
    [InlineData(new string[0], false)]
    public void OnlyTheVerbsThatRunTheNetworkShouldRelaunch(string[] args, bool wanted)
        => Assert.Equal(wanted, HugePageRelaunch.Wanted(args, tunables: null, optOut: null, isLinux: true));

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
    public void RelaunchedSegmentShouldPassItsErrorAndExitCodeThroughOnce()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "spineseg.dll");
        var missing = Path.Combine(Path.GetTempPath(), "no-such-scan-" + Guid.NewGuid().ToString("N") + ".nii.gz");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "segment", missing, missing + ".out.nii.gz" }) psi.ArgumentList.Add(a);
        psi.Environment.Remove("GLIBC_TUNABLES");
        psi.Environment.Remove(HugePageRelaunch.OptOutVariable);

        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(60_000));

        Assert.NotEqual(0, p.ExitCode);
        Assert.Equal(1, CountOf(err, Path.GetFileName(missing)));
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
