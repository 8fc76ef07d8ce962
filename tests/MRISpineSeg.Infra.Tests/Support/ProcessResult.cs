namespace MRISpineSeg.Infra.Tests.Support;

/// <summary>What a finished child process left behind.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Combined => StandardOutput + StandardError;
}
