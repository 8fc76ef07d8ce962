namespace MRISpineSeg.Cli;

/// <summary>
/// Where a verb writes, and the one place that turns failures into a single stderr line plus an exit code.
/// Exit codes: 0 success, 1 bad input (the error names the file, the field and what would be valid),
/// 2 usage errors (System.CommandLine), 70 an internal error (a bug: please report it).
/// </summary>
public sealed class CommandIO(TextWriter stdout, TextWriter stderr)
{
    public const int Success = 0;
    public const int BadInput = 1;
    public const int InternalError = 70;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>True when stderr is a terminal, so progress may be drawn.</summary>
    public bool IsInteractive => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Runs a verb body; any exception becomes one line on stderr and a non-zero exit code.</summary>
    public int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (UserErrors.IsUserError(ex))
        {
            Error.WriteLine($"spineseg: error: {OneLine(ex.Message)}");
            return BadInput;
        }
        catch (Exception ex)
        {
            Error.WriteLine($"spineseg: internal error: {ex.GetType().Name}: {OneLine(ex.Message)}");
            return InternalError;
        }
    }

    /// <summary>Async variant of <see cref="Guard(Func{int})"/>.</summary>
    public async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (UserErrors.IsUserError(ex))
        {
            await Error.WriteLineAsync($"spineseg: error: {OneLine(ex.Message)}").ConfigureAwait(false);
            return BadInput;
        }
        catch (Exception ex)
        {
            await Error.WriteLineAsync($"spineseg: internal error: {ex.GetType().Name}: {OneLine(ex.Message)}").ConfigureAwait(false);
            return InternalError;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
