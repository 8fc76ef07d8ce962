using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MRISpineSeg.Cli;

/// <summary>
/// The verbs that run the network (<c>segment</c>, <c>model bench</c>, <c>local up</c>) do better when glibc's malloc
/// asks for transparent huge pages: ONNX Runtime allocates hundreds of MB of activations per volume, and with 4 KiB
/// pages a large share of its time goes to page faults (BENCHMARKS.md, issue 4: 31.3 s → 27.3 s per 512×512×12
/// volume, same peak memory). glibc reads that setting (<c>GLIBC_TUNABLES=glibc.malloc.hugetlb=1</c>) only when a
/// process starts, so on Linux those verbs start the same command line once more with it set, unless it is already
/// set or <c>SPINESEG_HUGEPAGES=0</c>. The worker image sets it in its Dockerfile instead. Elsewhere this does nothing.
/// </summary>
internal static partial class HugePageRelaunch
{
    public const string OptOutVariable = "SPINESEG_HUGEPAGES";

    /// <summary>Set in the relaunched child: the pid of the parent it must not outlive.</summary>
    public const string ParentVariable = "SPINESEG_PARENT_PID";
    private const int PrSetPdeathsig = 1;
    private const string Tunable = "glibc.malloc.hugetlb=1";
    private const int SigTerm = 15;

    /// <summary>"on" when this process's malloc was started with huge pages asked for, else "off" (shown by <c>model bench</c>).</summary>
    public static string State
        => Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains(Tunable, StringComparison.Ordinal) == true ? "on" : "off";

    /// <summary>The child's exit code when the process was relaunched; null when this process should run the verb itself.</summary>
    public static int? TryRelaunch(string[] args)
    {
        var tunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES");
        if (!ShouldRelaunch(args, tunables, Environment.GetEnvironmentVariable(OptOutVariable), OperatingSystem.IsLinux()))
            return null;
        var exe = Environment.ProcessPath;
        var argv = CommandLine();
        if (exe is null || argv is null) return null;
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a); // exactly as started, host options included (`dotnet --roll-forward … spineseg.dll`)
        psi.Environment["GLIBC_TUNABLES"] = string.IsNullOrEmpty(tunables) ? Tunable : tunables + ":" + Tunable;
        psi.Environment[OptOutVariable] = "0"; // the child never relaunches, even if glibc drops GLIBC_TUNABLES (secure mode)
        psi.Environment[ParentVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Process? child = null;
        // Ctrl-C reaches the whole foreground process group, so the child gets it itself; this process only waits.
        // SIGTERM (docker stop, kill) reaches this process only: pass it on, so the child stops as gracefully as it would alone.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            if (child is { } p) _ = Kill(p.Id, SigTerm);
        });
        try
        {
            child = Process.Start(psi);
            if (child is null) return null;
            child.WaitForExit();
            return child.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // could not start a second copy: run here, only slower
        }
        finally
        {
            child?.Dispose();
        }
    }

    /// <summary>
    /// In a relaunched child: asks the kernel for SIGTERM when the parent dies (<c>prctl(PR_SET_PDEATHSIG)</c>), so a
    /// <c>kill -9</c> of the parent never leaves this copy running on its own, still writing masks; and exits at once if
    /// the parent is already gone. SIGTERM then stops the child as gracefully as a stop of the parent would.
    /// </summary>
    public static void BindToParent()
    {
        if (!OperatingSystem.IsLinux() || !int.TryParse(Environment.GetEnvironmentVariable(ParentVariable), out var parent)) return;
        Environment.SetEnvironmentVariable(ParentVariable, null); // not inherited by anything this process starts
        if (Prctl(PrSetPdeathsig, SigTerm, 0, 0, 0) != 0) return;
        if (GetParentPid() != parent) Environment.Exit(128 + SigTerm); // the parent died before the request took effect
    }

    /// <summary>The whole decision: the environment allows it and the command line parses to a verb that runs the network.</summary>
    internal static bool ShouldRelaunch(string[] args, string? tunables, string? optOut, bool isLinux)
        => Wanted(args, tunables, optOut, isLinux) && SpinesegApp.RunsNetwork(args);

    /// <summary>Whether the environment allows a relaunch for these arguments (the parse itself is <see cref="SpinesegApp.RunsNetwork"/>).</summary>
    internal static bool Wanted(string[] args, string? tunables, string? optOut, bool isLinux)
        => isLinux
           && optOut != "0"
           && tunables?.Contains("glibc.malloc.hugetlb", StringComparison.Ordinal) != true
           && args.Length > 0 && args[0] is "segment" or "model" or "local"; // cheap filter before parsing

    /// <summary>This process's argv as the kernel has it (host and host options included), or null.</summary>
    private static string[]? CommandLine()
    {
        try
        {
            var raw = File.ReadAllBytes("/proc/self/cmdline");
            var text = System.Text.Encoding.UTF8.GetString(raw).TrimEnd('\0');
            return text.Split('\0');
        }
        catch (IOException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();
}
