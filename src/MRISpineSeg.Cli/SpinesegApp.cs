using System.CommandLine;
using System.Runtime.InteropServices;
using MRISpineSeg.Cli.Commands;

namespace MRISpineSeg.Cli;

/// <summary>
/// The <c>spineseg</c> command tree. Each verb lives in its own file under <c>Commands/</c>;
/// this class only assembles them, so that the CLI stays a thin host over the libraries.
/// </summary>
public static class SpinesegApp
{
    public const int UsageError = 2;

    public static RootCommand BuildRoot(CommandIO io)
    {
        var root = new RootCommand("spineseg: lumbar-spine MR segmentation (PaddleSeg VNet on ONNX Runtime) and MRSpineSeg challenge scoring.");
        // Imaging
        root.Subcommands.Add(InfoCommand.Create(io));
        root.Subcommands.Add(ConvertCommand.Create(io));
        root.Subcommands.Add(ResampleCommand.Create(io));
        root.Subcommands.Add(BenchCommand.Create(io));
        // Phantoms
        root.Subcommands.Add(PhantomCommand.Create(io));
        // Scoring
        root.Subcommands.Add(ScoreCommand.Create(io));
        root.Subcommands.Add(LeaderboardCommand.Create(io));
        // Segmentation
        root.Subcommands.Add(ModelCommand.Create(io));
        root.Subcommands.Add(SegmentCommand.Create(io));
        // Pipeline (local host over Azurite)
        root.Subcommands.Add(LocalCommand.Create(io));
        return root;
    }

    /// <summary>Parses and runs. A usage error is one stderr line and exit code 2, never a help dump.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var io = new CommandIO(stdout, stderr);
        var root = BuildRoot(io);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && !AsksForHelp(args))
        {
            var verb = parsed.CommandResult.Command == root ? string.Empty : " " + parsed.CommandResult.Command.Name;
            stderr.WriteLine($"spineseg: usage error: {string.Join("; ", parsed.Errors.Select(e => e.Message))} (see 'spineseg{verb} --help')");
            return UsageError;
        }

        // Ctrl-C and SIGTERM cancel the verb's token, and the verb is awaited to its end, so a folder run finishes
        // the file it is writing (or removes it) before the process exits. System.CommandLine's own handler would
        // return after its termination timeout with the work still running; a second signal terminates at once.
        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Interrupt(c, interrupt));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Interrupt(c, interrupt));
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null };
        return parsed.InvokeAsync(config, interrupt.Token).GetAwaiter().GetResult();
    }

    private static void Interrupt(PosixSignalContext context, CancellationTokenSource interrupt)
    {
        if (interrupt.IsCancellationRequested) return; // the second signal: default handling ends the process
        context.Cancel = true;
        interrupt.Cancel();
    }

    /// <summary>Whether these arguments parse cleanly into a verb that runs the network: <c>segment</c>, <c>model bench</c> or <c>local up</c>.</summary>
    public static bool RunsNetwork(string[] args)
    {
        var root = BuildRoot(new CommandIO(TextWriter.Null, TextWriter.Null));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 || AsksForHelp(args)) return false;
        var path = new List<string>();
        for (var r = parsed.CommandResult; r.Command != root; r = (System.CommandLine.Parsing.CommandResult)r.Parent!) path.Insert(0, r.Command.Name);
        return string.Join(' ', path) is "segment" or "model bench" or "local up";
    }

    private static bool AsksForHelp(string[] args) => args.Any(a => a is "-h" or "--help" or "-?");
}
