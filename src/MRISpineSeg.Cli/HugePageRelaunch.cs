using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MRISpineSeg.Cli;

/// <summary>
/// The verbs that run the network (<c>segment</c>, <c>model bench</c>, <c>local up</c>) do better when glibc's malloc
/// asks for transparent huge pages: ONNX Runtime allocates hundreds of MB of activations per volume, and with 4 KiB
/// pages a large share of its time goes to page faults (BENCHMARKS.md, issue 4: 31.3 s → 27.3 s per 512×512×12
/// volume, same peak memory). glibc reads that setting (<c>GLIBC_TUNABLES=glibc.malloc.hugetlb=1</c>) only when a
/// process starts, so on Linux those verbs start themselves once more with it set, unless it is already set or
/// <c>SPINESEG_HUGEPAGES=0</c>. The worker image sets it in its Dockerfile instead. Elsewhere this does nothing.
/// </summary>
internal static class HugePageRelaunch
{
    public const string OptOutVariable = "SPINESEG_HUGEPAGES";
    private const string Tunable = "glibc.malloc.hugetlb=1";

    /// <summary>The child's exit code when the process was relaunched; null when this process should run the verb itself.</summary>
    public static int? TryRelaunch(string[] args)
    {
        if (!Wanted(args, Environment.GetEnvironmentVariable("GLIBC_TUNABLES"), Environment.GetEnvironmentVariable(OptOutVariable), OperatingSystem.IsLinux()))
            return null;
        var exe = Environment.ProcessPath;
        if (exe is null) return null;
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
        {
            // `dotnet spineseg.dll ...`: the host needs the assembly path again.
            var dll = Environment.GetCommandLineArgs()[0];
            if (!dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return null;
            psi.ArgumentList.Add(dll);
        }

        foreach (var a in args) psi.ArgumentList.Add(a);
        var existing = Environment.GetEnvironmentVariable("GLIBC_TUNABLES");
        psi.Environment["GLIBC_TUNABLES"] = string.IsNullOrEmpty(existing) ? Tunable : existing + ":" + Tunable;
        try
        {
            using var child = Process.Start(psi);
            if (child is null) return null;

            // Ctrl-C reaches the whole foreground process group: the child handles it; this process only waits.
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                try
                {
                    child.Kill(entireProcessTree: false);
                }
                catch (InvalidOperationException)
                {
                    // already gone
                }
            });
            child.WaitForExit();
            return child.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // could not start a second copy: run here, only slower
        }
    }

    /// <summary>Whether these arguments, in this environment, should be relaunched.</summary>
    internal static bool Wanted(string[] args, string? tunables, string? optOut, bool isLinux)
    {
        if (!isLinux || optOut == "0") return false;
        if (tunables?.Contains("glibc.malloc.hugetlb", StringComparison.Ordinal) == true) return false;
        if (args.Any(a => a is "-h" or "--help" or "-?")) return false;
        return args switch
        {
            ["segment", ..] => true,
            ["model", "bench", ..] => true,
            ["local", "up", ..] => true,
            _ => false,
        };
    }
}
